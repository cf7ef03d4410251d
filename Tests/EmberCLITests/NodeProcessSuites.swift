import Testing

/// Every suite that starts node processes runs inside this one, one test at a time: several node
/// processes mining and syncing at once on two cores would make each other's timings (a stop under
/// two seconds, a sync within its deadline) measure the machine rather than the node.
@Suite("node processes", .serialized)
enum NodeProcessSuites {}
