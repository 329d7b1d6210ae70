/// An ISO 4217 currency, as used by Tally money literals (`15_000 CNY`) and
/// money values (LANGUAGE.md §1 "Money literal", §2).
///
/// Stored in 4 bytes: the three letters packed 5 bits each, plus the minor
/// unit exponent; no `String` is kept.
public struct Currency: Sendable, Hashable, CustomStringConvertible, Codable {
    /// Bits 0–14: the letters (A = 0 … Z = 25), first letter highest;
    /// bits 16–18: ISO 4217 minor units (0–4).
    @usableFromInline internal let packed: UInt32

    /// The currency with ISO 4217 alphabetic code `code`, or nil when `code`
    /// is not exactly three uppercase ASCII letters or is not in the embedded
    /// ISO 4217 list (List One, the active currencies and funds, as of 2025;
    /// codes without minor units — precious metals XAU, XAG, XPT, XPD, the SDR
    /// XDR, the bond-market units XBA–XBD, XSU, XUA and the testing codes XTS,
    /// XXX — are not accepted because money needs a minor unit).
    public init?(code: String) {
        guard let key = Currency.key(code), let minor = Currency.minorUnits(forKey: key) else { return nil }
        packed = key | UInt32(minor) << 16
    }

    /// The three-letter code, e.g. `"CNY"`.
    public var code: String {
        let letters = [(packed >> 10) & 31, (packed >> 5) & 31, packed & 31].map { UInt8($0) + 65 }
        return String(decoding: letters, as: UTF8.self)
    }

    /// The ISO 4217 minor unit exponent: the number of fraction digits of the
    /// currency's smallest unit. 2 for most currencies (CNY, USD, EUR); 0 for
    /// BIF, CLP, DJF, GNF, ISK, JPY, KMF, KRW, PYG, RWF, UGX, UYI, VND, VUV,
    /// XAF, XOF, XPF; 3 for BHD, IQD, JOD, KWD, LYD, OMR, TND; 4 for CLF, UYW.
    public var minorUnits: Int { Int((packed >> 16) & 7) }

    /// The code, e.g. `CNY`.
    public var description: String { code }

    /// Decodes the three-letter code as a single string.
    ///
    /// - Throws: `DecodingError.dataCorrupted` for anything that is not a known code.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let c = Currency(code: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown ISO 4217 currency code \"\(text)\"")
        }
        self = c
    }

    /// Encodes the three-letter code as a single string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    // MARK: The ISO 4217 table

    /// Packs three uppercase ASCII letters, or nil.
    static func key(_ code: String) -> UInt32? {
        var key: UInt32 = 0
        var count = 0
        for b in code.utf8 {
            guard b >= 65 && b <= 90, count < 3 else { return nil }
            key = key << 5 | UInt32(b - 65)
            count += 1
        }
        return count == 3 ? key : nil
    }

    /// ISO 4217 List One codes with their minor units (digit after the code).
    /// Source: ISO 4217 List One (maintenance agency SIX), 2025 edition, plus
    /// the recently withdrawn ANG, CUC, SLL and ZWL, which still occur in older data.
    static let table: [UInt32: UInt8] = {
        let list = """
        AED2 AFN2 ALL2 AMD2 ANG2 AOA2 ARS2 AUD2 AWG2 AZN2 BAM2 BBD2 BDT2 BGN2 BHD3 BIF0 BMD2 BND2 BOB2 BOV2 \
        BRL2 BSD2 BTN2 BWP2 BYN2 BZD2 CAD2 CDF2 CHE2 CHF2 CHW2 CLF4 CLP0 CNY2 COP2 COU2 CRC2 CUC2 CUP2 CVE2 \
        CZK2 DJF0 DKK2 DOP2 DZD2 EGP2 ERN2 ETB2 EUR2 FJD2 FKP2 GBP2 GEL2 GHS2 GIP2 GMD2 GNF0 GTQ2 GYD2 HKD2 \
        HNL2 HTG2 HUF2 IDR2 ILS2 INR2 IQD3 IRR2 ISK0 JMD2 JOD3 JPY0 KES2 KGS2 KHR2 KMF0 KPW2 KRW0 KWD3 KYD2 \
        KZT2 LAK2 LBP2 LKR2 LRD2 LSL2 LYD3 MAD2 MDL2 MGA2 MKD2 MMK2 MNT2 MOP2 MRU2 MUR2 MVR2 MWK2 MXN2 MXV2 \
        MYR2 MZN2 NAD2 NGN2 NIO2 NOK2 NPR2 NZD2 OMR3 PAB2 PEN2 PGK2 PHP2 PKR2 PLN2 PYG0 QAR2 RON2 RSD2 RUB2 \
        RWF0 SAR2 SBD2 SCR2 SDG2 SEK2 SGD2 SHP2 SLE2 SLL2 SOS2 SRD2 SSP2 STN2 SVC2 SYP2 SZL2 THB2 TJS2 TMT2 \
        TND3 TOP2 TRY2 TTD2 TWD2 TZS2 UAH2 UGX0 USD2 USN2 UYI0 UYU2 UYW4 UZS2 VED2 VES2 VND0 VUV0 WST2 XAF0 \
        XCD2 XCG2 XOF0 XPF0 YER2 ZAR2 ZMW2 ZWG2 ZWL2
        """
        var t: [UInt32: UInt8] = [:]
        for entry in list.split(separator: " ") {
            let k = key(String(entry.prefix(3)))!
            t[k] = UInt8(entry.last!.asciiValue! - 48)
        }
        return t
    }()

    static func minorUnits(forKey key: UInt32) -> UInt8? { table[key] }

    /// Every supported code, sorted.
    public static var allCodes: [String] {
        table.keys.sorted().map { Currency(code: keyToString($0))!.code }
    }

    private static func keyToString(_ k: UInt32) -> String {
        String(decoding: [(k >> 10) & 31, (k >> 5) & 31, k & 31].map { UInt8($0) + 65 }, as: UTF8.self)
    }
}

/// An amount of money: an exact decimal in one currency (LANGUAGE.md §2).
///
/// Arithmetic rules between money and numbers (same currency only, etc.) are
/// the evaluator's; this type only pairs the two and prints them canonically.
public struct Money: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The amount in major units (e.g. 13500.00 for 13,500 yuan).
    public var amount: ExactDecimal
    /// The currency.
    public var currency: Currency

    /// `amount` in `currency`.
    public init(_ amount: ExactDecimal, _ currency: Currency) {
        self.amount = amount
        self.currency = currency
    }

    /// Canonical text (LANGUAGE.md §11): the amount with the currency's
    /// minor-unit digits plus any further fraction digits up to the last
    /// non-zero one, a space, then the code: `13500.00 CNY`, `0.00 CNY`,
    /// `0.125 USD`, `5 JPY`, `-0.50 EUR`. Zero is never printed negative.
    public var description: String {
        amount.formatted(minimumFractionDigits: currency.minorUnits) + " " + currency.code
    }

    /// Decodes the canonical text `"AMOUNT CODE"` (one space), e.g. `"13500.00 CNY"`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the amount or the code is invalid.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, let amount = try? ExactDecimal(parsing: parts[0]),
              let currency = Currency(code: String(parts[1])) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid money \"\(text)\"")
        }
        self.init(amount, currency)
    }

    /// Encodes the canonical text (``description``) as a single string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
