// Source lines quoted in diagnostics are printed to a terminal: a stray CR,
// NUL or ESC in a plan or data file would garble it (or inject escape
// sequences). They are shown as visible pictures instead, one scalar for one
// scalar so that the caret still lines up.

enum ControlPictures {
    /// `text` with C0 controls except tab as their Unicode control pictures
    /// (U+2400…U+241F), DEL as U+2421, C1 controls and bidirectional
    /// controls as U+FFFD, and the line and paragraph separators
    /// U+2028/U+2029 as U+2424. Tabs stay: the caret line copies them.
    static func replacing(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsPicture) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            switch u.value {
            case 0x09: out.append(u)
            case 0x00..<0x20: out.append(Unicode.Scalar(0x2400 + u.value)!)
            case 0x7F: out.append("\u{2421}")
            case 0x80...0x9F: out.append("\u{FFFD}")
            case 0x2028, 0x2029: out.append("\u{2424}")
            // Bidirectional controls would reorder the quoted line on screen
            // (the "Trojan Source" trick): shown as U+FFFD.
            case 0x202A...0x202E, 0x2066...0x2069: out.append("\u{FFFD}")
            default: out.append(u)
            }
        }
        return String(out)
    }

    private static func needsPicture(_ u: Unicode.Scalar) -> Bool {
        (u.value < 0x20 && u != "\t") || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029
            || (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value)
    }
}
