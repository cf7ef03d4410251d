import Foundation

extension ConsensusLineChart {
    /// An SVG document of `panels` stacked top to bottom, written to `path`.
    static func write(_ panels: [ConsensusLineChart], to path: String) throws {
        let width = 960.0
        let panelHeight = 430.0
        let height = panelHeight * Double(panels.count)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
            <rect width="100%" height="100%" fill="white"/>

            """
        for (index, panel) in panels.enumerated() {
            svg += panel.svg(left: 0, top: panelHeight * Double(index), width: width, height: panelHeight)
        }
        svg += "</svg>\n"
        do {
            try svg.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ConsensusArgumentError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
