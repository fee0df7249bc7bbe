using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.IntakeForms;

/// <summary>
/// The forms every clinic starts with, published as version 1 at start-up when missing (by <see cref="IntakeForm.StarterKey"/>,
/// unique, so a restart or a second instance adds nothing). The clinic edits them like any other form.
/// </summary>
public static class StarterForms
{
    public const string HealthHistoryKey = "health-history";
    public const string ConsentKey = "consent-to-treatment";
    public const string Phq9Key = "phq-9";
    public const string SeededBy = "PortalApp";

    public static IReadOnlyList<(string Key, FormDefinition Definition)> All =>
    [
        (HealthHistoryKey, HealthHistory),
        (ConsentKey, ConsentToTreatment),
        (Phq9Key, Phq9),
    ];

    public static async Task EnsureAsync(PortalDbContext db, DateTime nowUtc, CancellationToken ct = default)
    {
        var present = await db.IntakeForms.Where(f => f.StarterKey != null).Select(f => f.StarterKey!).ToListAsync(ct);
        foreach (var (key, definition) in All.Where(s => !present.Contains(s.Key)))
        {
            var json = FormJson.Serialize(definition);
            // The form and its version 1 together, or neither: a form with no version could never be sent.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var form = db.IntakeForms.Add(new IntakeForm
                {
                    Title = definition.Title, Description = definition.Description, StarterKey = key, CreatedAtUtc = nowUtc,
                }).Entity;
                await db.SaveChangesAsync(ct);
                db.IntakeFormVersions.Add(new IntakeFormVersion
                {
                    IntakeFormId = form.Id, Number = 1, Title = definition.Title, DefinitionJson = json, DefinitionSha256 = FormJson.Sha256(json),
                    PublishedAtUtc = nowUtc, PublishedByName = SeededBy,
                });
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException ex) when (DatabaseFailures.IsUniqueViolation(ex))
            {
                // Another instance seeded it at the same moment: theirs stands.
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
            }
        }
    }

    private static FormItem Q(string linkId, FormItemType type, string text, bool required = false) =>
        new() { LinkId = linkId, Type = type, Text = text, Required = required };

    private static FormItem Section(string linkId, string text, params FormItem[] items) =>
        new() { LinkId = linkId, Type = FormItemType.Group, Text = text, Items = items };

    private static AnswerOption[] YesNoUnsure => [new("yes", "Yes"), new("no", "No"), new("unsure", "Not sure")];

    public static FormDefinition HealthHistory => new("General health history",
        "Tells your care team about your health before your visit. It takes about ten minutes.",
        [
            Section("about", "About you",
                Q("about.preferred-pronouns", FormItemType.String, "Pronouns you use (optional)"),
                Q("about.height-cm", FormItemType.Integer, "Height in centimetres"),
                Q("about.weight-kg", FormItemType.Decimal, "Weight in kilograms"),
                Q("about.last-checkup", FormItemType.Date, "Date of your last check-up, if you know it"),
                Q("about.reason", FormItemType.Text, "What would you like help with?", required: true)),
            Section("conditions", "Conditions",
                Q("conditions.list", FormItemType.Choice, "Have you ever been told you have any of these?") with
                {
                    Repeats = true,
                    Options = [new("diabetes", "Diabetes"), new("hypertension", "High blood pressure"), new("asthma", "Asthma"),
                        new("heart", "Heart disease"), new("depression", "Depression or anxiety"), new("none", "None of these")],
                },
                Q("conditions.surgery", FormItemType.Boolean, "Have you had surgery?", required: true),
                Q("conditions.surgery-details", FormItemType.Text, "Which surgeries, and when?") with
                {
                    EnableWhen = [new("conditions.surgery", EnableOperator.Equals, "true")],
                }),
            Section("medications", "Medications and allergies",
                Q("medications.current", FormItemType.Text, "Medicines, vitamins and supplements you take now"),
                Q("medications.allergies", FormItemType.Boolean, "Do you have any allergies?", required: true),
                Q("medications.allergy-list", FormItemType.Text, "What are you allergic to, and what happens?", required: true) with
                {
                    EnableWhen = [new("medications.allergies", EnableOperator.Equals, "true")],
                }),
            Section("lifestyle", "Lifestyle",
                Q("lifestyle.smoke", FormItemType.Boolean, "Do you smoke?", required: true),
                Q("lifestyle.smoke-per-day", FormItemType.Integer, "How many cigarettes a day?", required: true) with
                {
                    EnableWhen = [new("lifestyle.smoke", EnableOperator.Equals, "true")],
                },
                Q("lifestyle.alcohol", FormItemType.Choice, "How often do you drink alcohol?") with
                {
                    ChoiceDisplay = ChoiceDisplay.DropDown,
                    Options = [new("never", "Never"), new("monthly", "Monthly or less"), new("weekly", "A few times a week"), new("daily", "Daily")],
                },
                Q("lifestyle.exercise", FormItemType.OpenChoice, "What exercise do you do most?") with
                {
                    Options = [new("walking", "Walking"), new("running", "Running"), new("cycling", "Cycling"), new("none", "None")],
                },
                Q("lifestyle.staff-note", FormItemType.Text, "Notes for the care team") with { StaffOnly = true }),
        ]);

    public static FormDefinition ConsentToTreatment => new("Consent to treatment",
        "Please read this before your first visit and sign it.",
        [
            Section("consent", "Your consent",
                new FormItem { LinkId = "consent.intro", Type = FormItemType.Display,
                    Text = "Your practitioner will explain the assessment and any treatment, its benefits and risks, and other options, and will answer your questions." },
                new FormItem
                {
                    LinkId = "consent.treatment", Type = FormItemType.Consent, Text = "Consent to assessment and treatment", Required = true,
                    ConsentText = "I agree to be assessed and treated by the clinic's practitioners. I understand that I may ask questions at any time, "
                        + "that I may refuse or stop any treatment, and that my information is kept confidential as the law requires.",
                },
                Q("consent.questions", FormItemType.Text, "Anything you would like us to know first? (optional)")),
        ]);

    /// <summary>PHQ-9 option texts and scores as the instrument defines them (Kroenke, Spitzer and Williams, 2001).</summary>
    private static AnswerOption[] Frequency =>
        [new("0", "Not at all", 0), new("1", "Several days", 1), new("2", "More than half the days", 2), new("3", "Nearly every day", 3)];

    private static readonly string[] Phq9Items =
    [
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ];

    public static FormDefinition Phq9 => new("PHQ-9",
        "A short questionnaire about your mood over the last two weeks.",
        [
            Section("phq9", "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
                [
                    .. Phq9Items.Select((text, i) => Q($"phq9.{i + 1}", FormItemType.Choice, text, required: true) with { Options = Frequency }),
                    Q("phq9.difficulty", FormItemType.Choice,
                        "If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?") with
                    {
                        Options = [new("not", "Not difficult at all"), new("somewhat", "Somewhat difficult"), new("very", "Very difficult"), new("extremely", "Extremely difficult")],
                    },
                ]),
        ]);
}

/// <summary>PHQ-9's total (0–27) and its severity band, shown to staff only.</summary>
public sealed record PhqScore(int Total, string Band)
{
    /// <summary>Null unless all nine items are answered: a partial total would understate the band.</summary>
    public static PhqScore? From(FormAnswers answers)
    {
        var total = 0;
        for (var i = 1; i <= 9; i++)
        {
            if (answers[$"phq9.{i}"]?.Values is not [var code] || !int.TryParse(code, out var score) || score is < 0 or > 3)
                return null;
            total += score;
        }
        return new PhqScore(total, BandOf(total));
    }

    public static string BandOf(int total) => total switch
    {
        <= 4 => "Minimal",
        <= 9 => "Mild",
        <= 14 => "Moderate",
        <= 19 => "Moderately severe",
        _ => "Severe",
    };
}
