import Foundation

/// A line chart drawn as hand-written SVG, for `ember consensus plot`.
struct ConsensusLineChart {
    struct Series {
        let name: String
        let color: String
        var dashed = false
        /// Wider, paler lines go first so that a curve drawn over them stays visible where both agree.
        var width = 2.2
        var opacity = 1.0
        let points: [(x: Double, y: Double)]
    }

    struct Tick {
        let value: Double
        let label: String
    }

    /// A vertical line across the plot at `x`, with a label at its top.
    struct Marker {
        let x: Double
        let label: String
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var xRange: ClosedRange<Double>
    var yRange: ClosedRange<Double>
    var xTicks: [Tick]
    var yTicks: [Tick]
    var series: [Series]
    var markers: [Marker] = []
    /// A band from `x` to the right edge, shaded and labelled (the PoLW region).
    var shadedFrom: Marker?
    /// How far below the plot's top edge the legend starts, clear of the band's label.
    var legendOffset = 10.0

    private static let margin = (left: 84.0, right: 24.0, top: 44.0, bottom: 58.0)

    /// The chart as an SVG group filling the rectangle at (`left`, `top`) of the given size.
    func svg(left: Double, top: Double, width: Double, height: Double) -> String {
        let plot = (
            left: left + Self.margin.left, top: top + Self.margin.top,
            width: width - Self.margin.left - Self.margin.right,
            height: height - Self.margin.top - Self.margin.bottom)
        func px(_ x: Double) -> Double {
            plot.left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plot.width
        }
        func py(_ y: Double) -> Double {
            plot.top + plot.height - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * plot.height
        }
        let bottom = plot.top + plot.height
        var out = "<g>\n"
        out += text(left + width / 2, top + 24, title, size: 17, anchor: "middle", weight: "bold")
        if let shadedFrom {
            let bandLeft = px(shadedFrom.x)
            out += "<rect x=\"\(f(bandLeft))\" y=\"\(f(plot.top))\" width=\"\(f(plot.left + plot.width - bandLeft))\" "
                + "height=\"\(f(plot.height))\" fill=\"#fff4e6\"/>\n"
            out += text(bandLeft + 8, plot.top + 18, shadedFrom.label, size: 12, anchor: "start", color: "#a65e00")
        }
        for tick in yTicks {
            out += line(plot.left, py(tick.value), plot.left + plot.width, py(tick.value), color: "#e9ecef")
            out += text(plot.left - 8, py(tick.value) + 4, tick.label, size: 12, anchor: "end")
        }
        for tick in xTicks {
            out += line(px(tick.value), plot.top, px(tick.value), bottom, color: "#e9ecef")
            out += text(px(tick.value), bottom + 18, tick.label, size: 12, anchor: "middle")
        }
        for marker in markers {
            out += line(px(marker.x), plot.top, px(marker.x), bottom, color: "#868e96", dashed: true)
            out += text(px(marker.x) - 6, plot.top + 34, marker.label, size: 12, anchor: "end", color: "#495057")
        }
        out += "<rect x=\"\(f(plot.left))\" y=\"\(f(plot.top))\" width=\"\(f(plot.width))\" "
            + "height=\"\(f(plot.height))\" fill=\"none\" stroke=\"#495057\"/>\n"
        for series in series {
            let points = series.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" \(stroke(series)) points=\"\(points)\"/>\n"
        }
        out += text(plot.left + plot.width / 2, bottom + 44, xLabel, size: 13, anchor: "middle")
        out += "<text x=\"\(f(left + 20))\" y=\"\(f(plot.top + plot.height / 2))\" font-size=\"13\" "
            + "text-anchor=\"middle\" transform=\"rotate(-90 \(f(left + 20)) \(f(plot.top + plot.height / 2)))\">"
            + escaped(yLabel) + "</text>\n"
        out += legend(right: plot.left + plot.width - 10, top: plot.top + legendOffset)
        return out + "</g>\n"
    }

    private func legend(right: Double, top: Double) -> String {
        let width = 12 + 40 + 7.2 * Double(series.map(\.name.count).max() ?? 0)
        let left = right - width
        let height = 10 + 20 * Double(series.count)
        var out = "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width))\" height=\"\(f(height))\" "
            + "fill=\"white\" fill-opacity=\"0.9\" stroke=\"#ced4da\"/>\n"
        for (index, series) in series.enumerated() {
            let y = top + 20 + 20 * Double(index)
            out += "<line x1=\"\(f(left + 8))\" y1=\"\(f(y - 4))\" x2=\"\(f(left + 40))\" y2=\"\(f(y - 4))\" "
                + stroke(series) + "/>\n"
            out += text(left + 48, y, series.name, size: 12, anchor: "start")
        }
        return out
    }

    private func stroke(_ series: Series) -> String {
        "stroke=\"\(series.color)\" stroke-width=\"\(f(series.width))\" stroke-opacity=\"\(f(series.opacity))\""
            + (series.dashed ? " stroke-dasharray=\"7 4\"" : "")
    }

    private func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String, dashed: Bool = false
    ) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(color)\""
            + (dashed ? " stroke-dasharray=\"4 4\"" : "") + "/>\n"
    }

    private func text(
        _ x: Double, _ y: Double, _ content: String, size: Int, anchor: String,
        weight: String = "normal", color: String = "#212529"
    ) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" "
            + "fill=\"\(color)\">\(escaped(content))</text>\n"
    }

    private func escaped(_ content: String) -> String {
        content.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A coordinate with two decimals, enough for a screen and short in the file.
    private func f(_ value: Double) -> String {
        let hundredths = (value * 100).rounded()
        return String(hundredths / 100)
    }
}
