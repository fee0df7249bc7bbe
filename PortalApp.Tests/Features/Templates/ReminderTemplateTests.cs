using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Channels;
using PortalApp.Features.Templates;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Templates;

/// <summary>The reminder templates: one kind per channel, a default per language, plain text for texts and calls.</summary>
[Trait("Providers", "Both")]
public sealed class ReminderTemplateTests : IAsyncLifetime
{
    private static readonly TemplateKind[] ReminderKinds =
        [TemplateKind.AppointmentReminderEmail, TemplateKind.AppointmentReminderSms, TemplateKind.AppointmentReminderVoice];

    private ServiceTestHost _host = null!;

    private TemplateService Templates => _host.Scoped<TemplateService>();
    private TemplateRenderer Renderer => _host.Get<TemplateRenderer>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static TemplateEditModel Sms(string name, string body, ClientLanguage language = ClientLanguage.English) =>
        new() { Kind = TemplateKind.AppointmentReminderSms, Name = name, Body = body, Language = language, Subject = "ignored" };

    [Fact]
    public async Task Each_reminder_kind_starts_with_an_english_and_a_french_default_and_the_other_kinds_stay_english()
    {
        var defaults = (await Templates.ListAsync()).Where(t => t.IsDefault).ToList();

        foreach (var kind in ReminderKinds)
            Assert.Equal([(ClientLanguage.English, "Appointment reminder"), (ClientLanguage.French, "Rappel de rendez-vous")],
                defaults.Where(t => t.Kind == kind).Select(t => (t.Language, t.Name)));
        Assert.All(defaults.Where(t => !ReminderKinds.Contains(t.Kind)), t => Assert.Equal(ClientLanguage.English, t.Language));
    }

    [Fact]
    public async Task Start_up_adds_the_french_default_to_a_clinic_that_has_only_english_ones_and_keeps_the_rest()
    {
        await using (var db = await _host.DbAsync())
        {
            await db.MessageTemplates.Where(t => t.Language == ClientLanguage.French).ExecuteDeleteAsync();
            await db.MessageTemplates.Where(t => t.Kind == TemplateKind.AppointmentReminderSms).ExecuteUpdateAsync(s => s.SetProperty(t => t.Body, "Ours: {{ appointment_link }}"));
        }
        var before = await Templates.ListAsync();

        await using (var db = await _host.DbAsync())
            await TemplateService.EnsureDefaultsAsync(db, DateTime.UtcNow);

        var after = await Templates.ListAsync();
        Assert.Equal(before.Count + ReminderKinds.Length, after.Count);
        Assert.All(ReminderKinds, k => Assert.Single(after, t => t.Kind == k && t.Language == ClientLanguage.French && t.IsDefault));
        var ours = after.Single(t => t.Kind == TemplateKind.AppointmentReminderSms && t.Language == ClientLanguage.English);
        Assert.Equal("Ours: {{ appointment_link }}", (await Templates.GetAsync(ours.Id))!.Body);
    }

    [Fact]
    public void Every_default_keeps_to_the_rules_of_its_kind() =>
        Assert.All(DefaultTemplates.All(DateTime.UtcNow), t => Assert.Empty(TemplateRules.Validate(Renderer, t.Kind, t.Name, t.Subject, t.Body)));

    [Fact]
    public void Email_and_text_reminders_must_carry_the_link_and_calls_cannot()
    {
        const string missing = "A reminder must contain {{ appointment_link }}: without it the patient has no way to confirm or cancel.";
        Assert.Equal(missing, TemplateRules.Validate(Renderer, TemplateKind.AppointmentReminderSms, "x", "", "See you {{ appointment.date }}")["Body"]);
        Assert.Equal(missing, TemplateRules.Validate(Renderer, TemplateKind.AppointmentReminderEmail, "x", "Reminder", "See you")["Body"]);
        Assert.StartsWith("Unknown placeholder: appointment_link.",
            TemplateRules.Validate(Renderer, TemplateKind.AppointmentReminderVoice, "x", "", "Press {{ appointment_link }}")["Body"]);
        Assert.Empty(TemplateRules.Validate(Renderer, TemplateKind.AppointmentReminderVoice, "x", "", "See you {{ appointment.date }}"));
    }

    [Fact]
    public void A_reminder_cannot_name_more_than_the_minimum()
    {
        var problem = TemplateRules.Validate(Renderer, TemplateKind.AppointmentReminderSms, "x", "", "{{ patient.last_name }} {{ clinic.address }} {{ appointment_link }}")["Body"];

        Assert.StartsWith("Unknown placeholders: clinic.address, patient.last_name. You can use: patient.first_name, patient.preferred_name, clinic.name, clinic.phone, "
            + "appointment.date, appointment.time, appointment.place, appointment.practitioner, appointment.type, appointment_link.", problem);
    }

    [Fact]
    public void A_text_message_template_has_no_subject_and_at_most_1600_characters()
    {
        Assert.Empty(TemplateRules.Validate(Renderer, TemplateKind.AppointmentReminderSms, "x", "", "{{ appointment_link }}"));
        Assert.Equal("A message can be at most 1,600 characters.",
            TemplateRules.Validate(Renderer, TemplateKind.AppointmentReminderSms, "x", "", "{{ appointment_link }}" + new string('a', 1600))["Body"]);
    }

    [Fact]
    public async Task A_text_is_saved_without_a_subject_in_the_language_chosen()
    {
        var saved = Assert.IsType<TemplateSaveResult.Saved>(await Templates.SaveAsync(Sms("Court", "Rappel : {{ appointment_link }}", ClientLanguage.French), Staff.Admin));

        var stored = (await Templates.GetAsync(saved.Id))!;
        Assert.Equal(("", ClientLanguage.French), (stored.Subject, stored.Language));
    }

    [Fact]
    public async Task Making_a_french_template_the_default_leaves_the_english_default_alone()
    {
        var englishDefault = (await Templates.ListAsync(TemplateKind.AppointmentReminderSms)).Single(t => t.IsDefault && t.Language == ClientLanguage.English);
        var saved = Assert.IsType<TemplateSaveResult.Saved>(await Templates.SaveAsync(Sms("Court", "Rappel : {{ appointment_link }}", ClientLanguage.French), Staff.Admin));

        Assert.IsType<Outcome.Done>(await Templates.MakeDefaultAsync(saved.Id, Staff.Admin));

        var defaults = (await Templates.ListAsync(TemplateKind.AppointmentReminderSms)).Where(t => t.IsDefault).ToList();
        Assert.Equal([(englishDefault.Id, ClientLanguage.English), (saved.Id, ClientLanguage.French)], defaults.Select(t => (t.Id, t.Language)));
    }

    [Fact]
    public async Task The_language_of_a_default_stays_until_another_template_is_the_default()
    {
        var frenchDefault = (await Templates.ListAsync(TemplateKind.AppointmentReminderSms)).Single(t => t.IsDefault && t.Language == ClientLanguage.French);
        var model = (await Templates.GetAsync(frenchDefault.Id))!;
        model.Language = ClientLanguage.English;

        var invalid = Assert.IsType<TemplateSaveResult.Invalid>(await Templates.SaveAsync(model, Staff.Admin));

        Assert.Equal("This is the default French template, so its language stays. Make another template the French default first.", invalid.Errors["Language"]);
    }

    [Fact]
    public async Task Only_reminders_are_written_in_french()
    {
        var invite = new TemplateEditModel
        {
            Kind = TemplateKind.PortalInvite, Name = "Invitation", Subject = "Portail", Body = "{{ invite_link }}", Language = ClientLanguage.French,
        };

        var invalid = Assert.IsType<TemplateSaveResult.Invalid>(await Templates.SaveAsync(invite, Staff.Admin));

        Assert.Equal("This kind of template is written in English.", invalid.Errors["Language"]);
    }

    [Fact]
    public async Task A_text_is_rendered_as_plain_text_with_values_as_they_are()
    {
        var model = new TemplateModel("Ann & *Bob*", null, "Smith", "Maple <Grove>", "", "", AppointmentLink: "https://portal.example/appointment/abc");

        var rendered = Assert.IsType<TemplateRenderResult.Rendered>(await Renderer.RenderPlainTextAsync(
            "Hi {{ patient.first_name }}, {{ clinic.name }}.\n\n\n{% if appointment.type != \"\" %}never{% endif %}\nLink: {{ appointment_link }}  ", model));

        Assert.Equal("Hi Ann & *Bob*, Maple <Grove>.\n\nLink: https://portal.example/appointment/abc", rendered.Template.BodyText);
    }

    [Fact]
    public async Task The_text_preview_uses_a_link_as_long_as_a_real_one_so_its_length_is_right()
    {
        var defaults = DefaultTemplates.For(TemplateKind.AppointmentReminderSms, ClientLanguage.English, DateTime.UtcNow);

        var preview = Assert.IsType<TemplateRenderResult.Rendered>(await _host.Scoped<TemplatePreviewService>()
            .PreviewPlainTextAsync(TemplateKind.AppointmentReminderSms, ClientLanguage.English, defaults.Body, null, Staff.Admin)).Template.BodyText;

        var link = System.Text.RegularExpressions.Regex.Match(preview, "https://portal.clinic.example/appointment/(\\S+) ").Groups[1].Value;
        Assert.Equal(PortalApp.Security.SecretTokens.TokenLength, link.Length);
        Assert.StartsWith("Test Clinic: reminder of your appointment on Saturday 7 March 2026 at 9:30 AM with Dr. Sam Lee, Room 2. Confirm or cancel:", preview);
        Assert.Equal(new SmsLength(2, preview.Length, SmsEncoding.Gsm7), SmsSegments.Count(preview));
    }
}
