/// The fictional shop "Nestling & Co": its sections, products, campaigns and the words its
/// customers use. Everything here is fixed data in a fixed order.
enum Catalog {
    static let shopHost = "https://nestling.example"

    /// The sections of the shop; a page's section is the first segment of its path.
    enum Section: Int, CaseIterable, Sendable {
        case baby, gifts, sale, outerwear, home

        var slug: String {
            switch self {
            case .baby: return "baby"
            case .gifts: return "gifts"
            case .sale: return "sale"
            case .outerwear: return "outerwear"
            case .home: return "home"
            }
        }

        var title: String {
            switch self {
            case .baby: return "Baby"
            case .gifts: return "Gifts"
            case .sale: return "Sale"
            case .outerwear: return "Outerwear"
            case .home: return "Home"
            }
        }
    }

    /// A product of a department (every section but sale).
    struct Product: Sendable {
        let id: String
        let name: String
        let slug: String
        let department: Section
        let shelf: Int
        let priceCents: Int
        let onSale: Bool

        /// The price on the sale pages (30 % off, rounded to 10 cents).
        var salePriceCents: Int { (priceCents * 7 / 10) / 10 * 10 }
        var path: String { "/\(department.slug)/\(Catalog.shelves[department.rawValue][shelf].slug)/\(slug)" }
        var salePath: String { "/sale/\(department.slug)/\(slug)" }
    }

    /// A shelf (sub-category) inside a department: `/baby/strollers`.
    struct Shelf: Sendable {
        let slug: String
        let title: String
    }

    /// Shelves per section index (sale has none: it lists discounted products of the others).
    static let shelves: [[Shelf]] = [
        [Shelf(slug: "strollers", title: "Strollers"), Shelf(slug: "car-seats", title: "Car seats"),
         Shelf(slug: "nursery", title: "Nursery"), Shelf(slug: "clothing", title: "Baby clothing"),
         Shelf(slug: "toys", title: "Toys")],
        [Shelf(slug: "first-birthday", title: "First birthday"), Shelf(slug: "new-parents", title: "For new parents"),
         Shelf(slug: "stocking-fillers", title: "Stocking fillers"), Shelf(slug: "personalised", title: "Personalised")],
        [],
        [Shelf(slug: "rain-jackets", title: "Rain jackets"), Shelf(slug: "snowsuits", title: "Snowsuits"),
         Shelf(slug: "fleece", title: "Fleece"), Shelf(slug: "boots", title: "Boots")],
        [Shelf(slug: "textiles", title: "Textiles"), Shelf(slug: "lighting", title: "Lighting"),
         Shelf(slug: "storage", title: "Storage"), Shelf(slug: "kitchen", title: "Kitchen")],
    ]

    private static let productTable: [(Section, Int, String, Int)] = [
        (.baby, 0, "Cloud Pram 3", 64900), (.baby, 0, "City Fold Buggy", 32900), (.baby, 0, "Jogger All-Terrain", 45900),
        (.baby, 1, "Nest Capsule i-Size", 21900), (.baby, 1, "Grow 360 Seat", 34900),
        (.baby, 2, "Oak Cot 120", 38900), (.baby, 2, "Mobile of Clouds", 4900), (.baby, 2, "Changing Mat Linen", 3900),
        (.baby, 3, "Merino Sleep Bag", 5900), (.baby, 3, "Organic Bodysuit 3-Pack", 2900), (.baby, 3, "Knit Cardigan Mini", 3450),
        (.baby, 4, "Wooden Stacking Rings", 1900), (.baby, 4, "Soft Bunny Rattle", 1400),
        (.gifts, 0, "Birthday Crown Felt", 2400), (.gifts, 0, "Memory Book \"My First Year\"", 2900), (.gifts, 0, "Name Puzzle", 3900),
        (.gifts, 1, "Hospital Bag Kit", 7900), (.gifts, 1, "Parents' Survival Box", 5500),
        (.gifts, 2, "Mini Bath Ducks", 900), (.gifts, 2, "Bedtime Story Set", 2250),
        (.gifts, 3, "Embroidered Blanket", 4900), (.gifts, 3, "Engraved Silver Spoon", 3600),
        (.outerwear, 0, "Puddle Jacket", 4900), (.outerwear, 0, "Drizzle Poncho", 2900),
        (.outerwear, 1, "Arctic Snowsuit", 8900), (.outerwear, 1, "Snuggle Pramsuit", 6900),
        (.outerwear, 2, "Fleece Onesie", 3400), (.outerwear, 2, "Teddy Fleece Jacket", 3900),
        (.outerwear, 3, "Welly Boots", 2900), (.outerwear, 3, "Winter Booties", 3450),
        (.home, 0, "Muslin Throw", 2900), (.home, 0, "Linen Cushion", 2400),
        (.home, 1, "Moon Night Light", 3900), (.home, 1, "Rattan Pendant", 8900),
        (.home, 2, "Toy Basket Seagrass", 3400), (.home, 2, "Wall Shelf Cloud", 4400),
        (.home, 3, "Bamboo Plate Set", 2200), (.home, 3, "Silicone Bib Duo", 1500),
    ]

    /// All products, in catalog order.
    static let products: [Product] = {
        var out: [Product] = []
        var counters = [Int](repeating: 100, count: Section.allCases.count)
        for (i, (section, shelf, name, price)) in productTable.enumerated() {
            counters[section.rawValue] += 1
            let prefix: String
            switch section {
            case .baby: prefix = "BB"
            case .gifts: prefix = "GF"
            case .outerwear: prefix = "OW"
            case .home: prefix = "HM"
            case .sale: prefix = "SL"
            }
            out.append(Product(id: "\(prefix)-\(counters[section.rawValue])", name: name, slug: slugify(name),
                               department: section, shelf: shelf, priceCents: price, onSale: i % 3 == 1))
        }
        return out
    }()

    /// Product indices per section (for sale: the discounted products of every department).
    static let productsBySection: [[Int]] = Section.allCases.map { section in
        products.indices.filter { section == .sale ? products[$0].onSale : products[$0].department == section }
    }

    /// Lowercase ASCII letters and digits joined by single hyphens.
    static func slugify(_ text: String) -> String {
        var out = [UInt8]()
        var dash = false
        for b in text.lowercased().utf8 {
            let isAlnum = (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
            if isAlnum {
                if dash && !out.isEmpty { out.append(UInt8(ascii: "-")) }
                out.append(b); dash = false
            } else if b != UInt8(ascii: "'") {
                dash = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Email campaigns

    /// A newsletter theme; campaigns cycle through these, one a week.
    struct CampaignTheme: Sendable {
        let slug: String
        let subject: String
        let section: Section
    }

    static let campaignThemes: [CampaignTheme] = [
        CampaignTheme(slug: "autumn-layers", subject: "Autumn layers for little explorers", section: .outerwear),
        CampaignTheme(slug: "baby-week", subject: "Baby week: the nursery edit", section: .baby),
        CampaignTheme(slug: "gift-guide-first-birthdays", subject: "Gift guide: first birthdays", section: .gifts),
        CampaignTheme(slug: "home-and-hearth", subject: "Home & hearth", section: .home),
        CampaignTheme(slug: "mid-season-sale", subject: "Mid-season sale — up to 30 % off", section: .sale),
        CampaignTheme(slug: "cosy-nursery", subject: "A cosy nursery for the long nights", section: .baby),
        CampaignTheme(slug: "winter-ready", subject: "Winter ready: snowsuits are back", section: .outerwear),
        CampaignTheme(slug: "black-friday-preview", subject: "Black Friday preview for members", section: .sale),
        CampaignTheme(slug: "new-parent-essentials", subject: "New-parent essentials", section: .baby),
    ]

    // MARK: People

    /// First names with an ASCII form for e-mail addresses.
    static let firstNames: [(String, String)] = [
        ("Anna", "anna"), ("Ben", "ben"), ("Clara", "clara"), ("David", "david"), ("Emma", "emma"),
        ("Felix", "felix"), ("Grace", "grace"), ("Hannah", "hannah"), ("Isaac", "isaac"), ("Jonas", "jonas"),
        ("Kenji", "kenji"), ("Lena", "lena"), ("Mia", "mia"), ("Noah", "noah"), ("Olivia", "olivia"),
        ("Paul", "paul"), ("Renée", "renee"), ("Sofia", "sofia"), ("Tom", "tom"), ("Yūki", "yuki"),
        ("Zoë", "zoe"), ("Jürgen", "juergen"), ("Søren", "soren"), ("Amara", "amara"), ("Liam", "liam"),
        ("Priya", "priya"), ("Mateo", "mateo"), ("Aoife", "aoife"), ("Hiro", "hiro"), ("Ella", "ella"),
    ]

    static let lastNames: [(String, String)] = [
        ("Müller", "mueller"), ("Smith", "smith"), ("Schneider", "schneider"), ("Jones", "jones"), ("Fischer", "fischer"),
        ("Taylor", "taylor"), ("Weber", "weber"), ("Brown", "brown"), ("Tanaka", "tanaka"), ("Garcia", "garcia"),
        ("O'Connor", "oconnor"), ("Nguyen", "nguyen"), ("Becker", "becker"), ("Wilson", "wilson"), ("Sato", "sato"),
        ("Hoffmann", "hoffmann"), ("Evans", "evans"), ("Kowalski", "kowalski"), ("Rossi", "rossi"), ("Dubois", "dubois"),
        ("Johansson", "johansson"), ("Patel", "patel"), ("van Dijk", "vandijk"), ("Okafor", "okafor"), ("Larsen", "larsen"),
    ]

    static let regions = ["coastal", "inland", "mountain", "urban"]
    static let regionWeights = [24, 30, 14, 32]
    static let channels = ["email", "sms", "chat"]
    static let plans = ["basic", "plus", "family"]
    static let planWeights = [60, 30, 10]

    // MARK: Consent

    /// The four consent categories, in the order events write them.
    static let consentCategories = ["Analytics", "Personalization", "Advertising", "SmsMarketing"]

    // MARK: Feedback

    /// A chat-bot question asked as a survey prompt in live chat.
    struct ChatPrompt: Sendable {
        let surveyID: String
        let question: String
        /// Scored (0–10) or free text.
        let scored: Bool
    }

    /// The shop's chat bot, as live-chat events name their agent.
    static let chatBotID = "bot-nestie"
    static let chatBotName = "Nestie (bot)"

    static let chatPrompts: [ChatPrompt] = [
        ChatPrompt(surveyID: "next_birthday", question: "Who is the next birthday on your list?", scored: false),
        ChatPrompt(surveyID: "gift_budget", question: "What would you like to spend on that gift?", scored: false),
        ChatPrompt(surveyID: "chat_nps", question: "How likely are you to recommend Nestling & Co to a friend (0–10)?", scored: true),
        ChatPrompt(surveyID: "shopping_experience", question: ChatScript.shoppingExperience.questions[0].text, scored: false),
    ]
    static let chatPromptWeights = [50, 25, 25, 30]

    static let birthdayAnswers: [String] = [
        "My niece Mia, she turns 1 in December",
        "Our neighbour's twins — next month!",
        "Grandma, 80 on the 3rd 🎂",
        "my best friend \"Jo\", she's due in January",
        "Nobody for a while, just browsing",
        "My son's first birthday, 14 Dec",
        "Meine Schwester Lina – im März",
        "Colleague's baby shower on Friday",
        "not sure yet",
        "Two cousins (both in November)\nand my godson in January",
        "My daughter turns 2 next week, she loves animals",
        "姪の誕生日、来月です",
    ]

    static let budgetAnswers: [String] = [
        "around 30 €", "under 50", "£20-£40", "no idea, something special", "$100 max",
        "whatever it takes :)", "30", "between 25 and 60 euros",
    ]

    static let feedbackComments: [String] = [
        "Delivery was quick, packaging lovely",
        "The size guide for snowsuits is confusing",
        "Checkout asked for my address twice",
        "Love the wooden toys!",
        "Please add more gender-neutral colours",
        "Search doesn't find \"pram\" when I type \"stroller\"",
        "Great service in the chat, thanks Sam",
        "Prices went up since last month?",
        "The app keeps logging me out",
        "Return label was missing from the parcel",
    ]

    /// Rare answers that carry terminal control characters: the tool must sanitize them before display.
    static let hostileAnswers: [String] = [
        "\u{1B}[31mURGENT\u{1B}[0m call me back",
        "ok\u{07}\u{07}\u{07}",
        "line one\r\u{1B}[2Koverwritten",
    ]

    /// Score weights for 0…10, per feedback channel.
    static let npsWeightsDefault = [3, 2, 2, 3, 3, 6, 7, 12, 18, 22, 22]
    static let npsWeightsPostPurchase = [2, 1, 1, 2, 2, 4, 6, 12, 20, 25, 25]
    static let npsWeightsSMS = [7, 4, 4, 5, 5, 8, 8, 12, 15, 16, 16]
    static let npsWeightsChat = [1, 1, 1, 2, 2, 4, 6, 10, 20, 26, 27]

    /// Page-view weight per local hour 0…23 (lunch and evening peaks).
    static let hourWeights = [2, 1, 1, 1, 1, 2, 4, 7, 8, 7, 6, 7, 9, 8, 6, 6, 7, 8, 10, 12, 13, 11, 7, 4]
}
