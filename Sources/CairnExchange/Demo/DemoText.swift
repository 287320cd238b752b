import CairnDomain

/// Invented names and accounts for the demo school. Nothing here describes a real child.
enum DemoText {
    static let forenames = [
        "Amara", "Ben", "Caitlin", "Dev", "Ellie", "Finn", "Grace", "Harvey", "Isla", "Jayden", "Kezia", "Leo",
        "Maisie", "Nico", "Orla", "Priya", "Quinn", "Rosie", "Sami", "Tilly", "Umar", "Violet", "Wren", "Xander",
        "Yasmin", "Zac", "Aled", "Bethan", "Cerys", "Dylan", "Efa", "Gethin", "Hana", "Ifan", "Jasmine", "Kian",
        "Lowri", "Macy", "Niamh", "Oskar", "Poppy", "Rhys", "Seren", "Theo", "Zoë", "Ayaan", "Chidi", "Mei",
    ]
    static let preferred = ["Bea", "Cal", "Fliss", "Jas", "Kit", "Max", "Nell", "Sol"]
    static let surnames = [
        "Ashdown", "Brightwell", "Carrow", "Dunmore", "Elsworth", "Fennick", "Garside", "Hollin", "Ingleby",
        "Jessop", "Kettering", "Lathom", "Merriott", "Northey", "Ormsby", "Pennock", "Quarrie", "Redfern",
        "Stanway", "Thornber", "Upcott", "Varley", "Wetherall", "Yardley", "Okonkwo-Hale", "Nwachukwu-Bray",
        "Abara", "Castellan", "Dobrescu", "Kowalczyk-Reed", "Mirza-Holt", "Tanaka-Shaw", "Ó Briain", "Llewellyn-Pugh",
    ]
    static let locations = [
        "Form room", "Playground", "Canteen", "Corridor by science labs", "PE changing rooms", "School gate at pick-up",
        "Library", "Online (reported in school)", "Bus stop outside school", "Year office",
    ]

    struct Template {
        var categories: [ConcernCategory]
        var nature: Nature
        var account: String
        var childWords: String?
        var reporterAction: String
        /// How often this kind of concern turns up, relative to the others.
        var weight = 3
        /// The youngest year group it is plausible for.
        var minYear: YearGroup = .reception
    }

    static let templates: [Template] = [
        Template(categories: [.physical], nature: .seen,
                 account: "Noticed a bruise about 3cm across on the left forearm while rolling up sleeves in art. Asked how it happened; said they fell off a bike at the weekend.",
                 childWords: nil, reporterAction: "Did not examine further. Logged straight after the lesson."),
        Template(categories: [.physical, .domesticAbuse], nature: .disclosed,
                 account: "At the end of the lesson said things were loud at home last night and they hid upstairs.",
                 childWords: "Mum and him were shouting again and he threw the plate. I went under my bed.",
                 reporterAction: "Listened, did not ask leading questions, told them I would pass it to the DSL."),
        Template(categories: [.neglect], nature: .seen,
                 account: "Third day this week arriving without a coat in the rain; uniform unwashed; asked the form tutor for toast at breakfast club.",
                 childWords: nil, reporterAction: "Gave a spare coat from lost property.", weight: 4),
        Template(categories: [.neglect, .attendance], nature: .reported,
                 account: "Attendance officer reports 78% attendance this half term, with several Monday absences unexplained. Parent not answering calls.",
                 childWords: nil, reporterAction: "Attendance letter sent; flagged to DSL."),
        Template(categories: [.mentalHealth], nature: .opinion,
                 account: "Seems withdrawn over the last fortnight, sitting alone at lunch. My impression is something has changed at home, but nothing has been said.",
                 childWords: nil, reporterAction: "Checked in briefly; offered time with the school counsellor.", weight: 4, minYear: .year3),
        Template(categories: [.selfHarm, .mentalHealth], nature: .disclosed,
                 account: "Came to the year office upset and showed healed marks on the wrist.",
                 childWords: "I only do it when it gets too much. Please don't tell my dad.",
                 reporterAction: "Stayed with the pupil, explained I had to share it with the DSL, walked them to the medical room.", weight: 2, minYear: .year6),
        Template(categories: [.online, .childOnChild], nature: .reported,
                 account: "A friend reported that an edited photo of the pupil is being shared in a year group chat.",
                 childWords: nil, reporterAction: "Did not view or ask for the image. Passed the names of the chat members to the DSL.", minYear: .year5),
        Template(categories: [.online, .exploitation], nature: .seen,
                 account: "Saw messages on the pupil's phone from an adult they met in a game offering credit in return for photos.",
                 childWords: nil, reporterAction: "Did not take the phone. Informed the DSL in person at once.", weight: 1, minYear: .year6),
        Template(categories: [.exploitation], nature: .opinion,
                 account: "Has new expensive trainers and a second phone; seen getting into different cars after school. I am worried about criminal exploitation, though I have no direct evidence.",
                 childWords: nil, reporterAction: "Noted car colours; no registration numbers.", weight: 1, minYear: .year8),
        Template(categories: [.bullying, .childOnChild], nature: .disclosed,
                 account: "Said a group of older pupils have been taking their lunch money on the way in.",
                 childWords: "They said if I tell anyone they'll get my brother too.",
                 reporterAction: "Reassured them; told head of year; DSL informed.", weight: 4, minYear: .year2),
        Template(categories: [.familyCircumstances], nature: .reported,
                 account: "Aunt phoned the office to say the family were evicted on Friday and are staying in a hotel across the county.",
                 childWords: nil, reporterAction: "Took the aunt's number; passed to DSL."),
        Template(categories: [.emotional], nature: .seen,
                 account: "At pick-up, heard the parent call the child stupid and useless in front of other families; the child looked frightened.",
                 childWords: nil, reporterAction: "Did not intervene; wrote down what was said straight away."),
        Template(categories: [.sexual], nature: .disclosed,
                 account: "During PSHE, stayed behind and said an older cousin touches them when babysitting.",
                 childWords: "He says it's a game and I'm not allowed to tell.",
                 reporterAction: "Did not ask for details. Told them they were right to tell. Went to DSL immediately.", weight: 1),
        Template(categories: [.radicalisation], nature: .seen,
                 account: "Drew extremist symbols on an exercise book and repeated slogans from an online channel in a discussion.",
                 childWords: nil, reporterAction: "Kept the book; informed DSL.", weight: 1, minYear: .year7),
        Template(categories: [.fgm], nature: .reported,
                 account: "A classmate said the pupil is going abroad in the summer for a special ceremony to become a woman.",
                 childWords: nil, reporterAction: "Informed DSL the same hour.", weight: 1, minYear: .year3),
        Template(categories: [.other], nature: .seen,
                 account: "Fell asleep in two lessons; says they are up late looking after younger siblings.",
                 childWords: nil, reporterAction: "Let them rest at lunch; told form tutor."),
    ]

    static let closeReasons = [
        "Spoke to parent; explanation consistent with injury; no further concerns.",
        "Pupil and parent seen together; family already known to early help; no new information.",
        "Resolved in school by head of year; both pupils spoken to.",
        "Information shared with social worker, who is already aware.",
    ]

    /// What agencies said back about a referral.
    static let decisions = [
        "Accepted by the MASH for a single assessment; social worker allocated.",
        "No further action by the agency; information passed to the school nurse and early help.",
        "Stepped down to early help; family support worker to make contact within a week.",
        "Strategy discussion held; section 47 enquiry to begin.",
        "Accepted for assessment; appointment offered within six weeks.",
    ]

    struct Call {
        var who: String
        var relationship: String
        var summary: String
    }

    /// Calls home after a concern, by the DSL. The surname is the child's.
    static let calls: [Call] = [
        Call(who: "Ms D.", relationship: "mother",
             summary: "Rang to let her know what had been seen today. She said things have been hard since her shifts changed and welcomed a check-in at school. Agreed to speak again next week."),
        Call(who: "Mr J.", relationship: "father",
             summary: "Called about the concern raised this morning. He gave an account that matched what the child said and asked for the school's support with getting to school on time."),
        Call(who: "Mrs A.", relationship: "grandmother and carer",
             summary: "Spoke about the child's mood at home. She has noticed the same and has made a GP appointment; she will tell us what the GP says."),
        Call(who: "Ms P.", relationship: "aunt",
             summary: "Left a message first, then spoke at 4pm. She is looking after the children this week and agreed to meet the head of year on Friday."),
    ]
}
