using PortalApp.Features.IntakeForms;

namespace PortalApp.Benchmarks;

/// <summary>
/// Issue 12's 120-question form for the intake-forms figures: 6 sections of 20 questions mixing every answerable type
/// (short and long text, whole and decimal numbers, dates, yes/no, radio and drop-down choices, multiple choice,
/// open choice, one consent), required flags, and show/hide rules the answers satisfy, so every question is shown.
/// Deterministic, so runs compare.
/// </summary>
public static class IntakeFormSamples
{
    public const int Sections = 6, PerSection = 20;
    public const string Signer = "Nora Bench";

    private static readonly string[] SectionTitles = ["About you", "Medical history", "Medications and allergies", "Lifestyle", "Mood and sleep", "Goals and consent"];

    private static readonly string[] Words =
    [
        "pain", "morning", "left", "shoulder", "since", "spring", "worse", "after", "work", "sitting", "long", "hours", "desk",
        "walking", "helps", "a", "little", "the", "and", "sometimes", "stiff", "night", "sleep", "wakes", "me", "up", "twice",
        "tried", "ice", "heat", "stretching", "physiotherapy", "last", "year", "with", "some", "relief", "but", "it", "came", "back",
    ];

    private static readonly AnswerOption[] Frequency =
        [new("never", "Never", 0), new("sometimes", "Sometimes", 1), new("often", "Often", 2), new("always", "Always", 3)];

    private static readonly AnswerOption[] Provinces =
        [new("on", "Ontario"), new("qc", "Quebec"), new("bc", "British Columbia"), new("ab", "Alberta"), new("ns", "Nova Scotia")];

    private static readonly AnswerOption[] Conditions =
    [
        new("asthma", "Asthma"), new("diabetes", "Diabetes"), new("hypertension", "High blood pressure"), new("migraine", "Migraine"),
        new("arthritis", "Arthritis"), new("none", "None of these"),
    ];

    private static readonly AnswerOption[] Heard = [new("friend", "A friend or family member"), new("doctor", "My doctor"), new("web", "The clinic's website")];

    public static string Id(int section, int question) => $"s{section + 1}q{question + 1:00}";

    public static FormDefinition Definition() => new("Full intake (benchmark)", "Every question of a first visit, in six sections.",
        Enumerable.Range(0, Sections).Select(s => new FormItem
        {
            LinkId = $"s{s + 1}", Type = FormItemType.Group, Text = SectionTitles[s],
            Items = Enumerable.Range(0, PerSection).Select(q => Question(s, q)).ToList(),
        }).ToList());

    private static FormItem Question(int s, int q)
    {
        var where = $" ({SectionTitles[s].ToLowerInvariant()})";
        var item = new FormItem { LinkId = Id(s, q), Type = FormItemType.String, Text = "", Required = q is 0 or 2 or 7 or 9 or 10 or 12 };
        return q switch
        {
            0 => item with { Text = "Your preferred name" + where, MaxLength = 100 },
            1 => item with { Text = "Who can we call in an emergency?" + where, MaxLength = 200, Help = "Their name and phone number." },
            >= 2 and <= 6 => item with { Type = FormItemType.Text, Text = $"Tell us more: {LongTopics[q - 2]}" + where, MaxLength = 2_000 },
            7 => item with { Type = FormItemType.Integer, Text = "How many times in the last month?" + where },
            8 => item with { Type = FormItemType.Decimal, Text = "Your weight in kilograms" + where },
            9 => item with { Type = FormItemType.Date, Text = "When did this start?" + where },
            10 => item with { Type = FormItemType.Boolean, Text = "Has this changed since your last visit?" + where },
            11 => item with { Type = FormItemType.Boolean, Text = "Did it get worse?" + where, EnableWhen = [new(Id(s, 10), EnableOperator.Equals, "true")] },
            12 => item with { Type = FormItemType.Choice, Text = "How often does it bother you?" + where, Options = Frequency },
            13 => item with { Type = FormItemType.Choice, ChoiceDisplay = ChoiceDisplay.DropDown, Text = "Province of your health card" + where, Options = Provinces },
            14 => item with { Type = FormItemType.Choice, Repeats = true, Text = "Which of these apply to you?" + where, Options = Conditions },
            15 => item with { Type = FormItemType.OpenChoice, Text = "How did you hear about us?" + where, Options = Heard },
            16 => item with
            {
                Type = FormItemType.OpenChoice, Repeats = true, Text = "Anything else that applies?" + where, Options = Conditions,
                EnableWhen = [new(Id(s, 12), EnableOperator.Equals, "often"), new(Id(s, 13), EnableOperator.Exists, "true")], EnableBehavior = EnableBehavior.Any,
            },
            17 => item with { Text = "What changed?" + where, MaxLength = 300, EnableWhen = [new(Id(s, 10), EnableOperator.Equals, "true")] },
            18 => item with { Type = FormItemType.Integer, Text = "How many of those needed a doctor?" + where, EnableWhen = [new(Id(s, 7), EnableOperator.GreaterThan, "0")] },
            _ when s == Sections - 1 => item with
            {
                Type = FormItemType.Consent, Required = true, Text = "Consent to assessment and treatment",
                ConsentText = string.Concat(Enumerable.Repeat("I agree to be assessed and treated by the clinic's practitioners and understand I may withdraw this consent at any time. ", 5)),
            },
            _ => item with { Type = FormItemType.Choice, Text = "How much does it limit your day?" + where, Options = Frequency },
        };
    }

    private static readonly string[] LongTopics =
        ["the main reason for your visit", "your symptoms in your own words", "treatments you have tried", "your work and daily activities", "anything else we should know"];

    /// <summary>Every question answered, each value valid for its type, and the rules' answers set so all 120 are shown.</summary>
    public static FormAnswers Answers(DateTime signedAtUtc)
    {
        var answers = new Dictionary<string, FormAnswer>(StringComparer.Ordinal);
        for (var s = 0; s < Sections; s++)
            for (var q = 0; q < PerSection; q++)
                answers[Id(s, q)] = Answer(s, q, signedAtUtc);
        return new FormAnswers(answers);
    }

    private static FormAnswer Answer(int s, int q, DateTime signedAtUtc) => q switch
    {
        0 => FormAnswer.Of($"Nora {s + 1}"),
        1 => FormAnswer.Of("Sam Bench, 416-555-0199"),
        >= 2 and <= 6 => FormAnswer.Of(LongText(s * 5 + q)),
        7 => FormAnswer.Of($"{3 + s}"),
        8 => FormAnswer.Of($"{70 + s}.5"),
        9 => FormAnswer.Of($"2025-0{s + 1}-1{q % 10}"),
        10 or 11 => FormAnswer.Of("true"),
        12 => FormAnswer.Of("often"),
        13 => FormAnswer.Of("on"),
        14 => FormAnswer.Of("asthma", "migraine"),
        15 => s % 2 == 0 ? FormAnswer.Of("doctor") : new FormAnswer([], "A poster at the pharmacy"),
        16 => new FormAnswer(["arthritis"], "Knee surgery in 2019"),
        17 => FormAnswer.Of("It now wakes me at night."),
        18 => FormAnswer.Of("1"),
        _ when s == Sections - 1 => new FormAnswer([], Consent: new ConsentSignature(true, Signer, signedAtUtc)),
        _ => FormAnswer.Of("sometimes"),
    };

    /// <summary>
    /// A later response to the same form with a third of the answers changed: all 30 long-text answers with a few words
    /// changed (the word diff's work), and 10 short answers (weights and provinces in five sections) changed outright.
    /// </summary>
    public static FormAnswers LaterAnswers(FormAnswers earlier)
    {
        var later = earlier.ByLinkId.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        for (var s = 0; s < Sections; s++)
        {
            for (var q = 2; q <= 6; q++)
            {
                var words = later[Id(s, q)].Values[0].Split(' ');
                foreach (var at in new[] { 3, 17, 31, 44 })
                    words[at % words.Length] = words[at % words.Length] == "better" ? "easier" : "better";
                later[Id(s, q)] = FormAnswer.Of(string.Join(' ', words));
            }
            if (s < 5)
            {
                later[Id(s, 8)] = FormAnswer.Of($"{66 + s}.0");
                later[Id(s, 13)] = FormAnswer.Of("qc");
            }
        }
        return new FormAnswers(later);
    }

    /// <summary>About 300 characters of a patient's own words, different for each question.</summary>
    private static string LongText(int seed)
    {
        var random = new Random(seed);
        var words = new List<string>();
        var length = 0;
        while (length < 300)
        {
            var word = Words[random.Next(Words.Length)];
            words.Add(word);
            length += word.Length + 1;
        }
        return string.Join(' ', words) + ".";
    }
}
