using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Caregivers;
using PortalApp.Features.Templates;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Caregivers;

/// <summary>Sending a caregiver invite: what is saved and emailed, and every refusal, each with its own message and nothing saved.</summary>
[Trait("Providers", "Both")]
public sealed class CaregiverInviteServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _leo = null!;
    private int _template;

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _leo = await _host.AddClientAsync("Leo", "Tran", new DateOnly(2016, 9, 21), "leo.tran@example.com");
        _template = await CaregiverInvites.DefaultTemplateAsync(_host.Services);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private CaregiverInviteForm Form(string first = "Anna", string last = "Tran", string? email = "anna.tran@example.com") =>
        CaregiverInvites.Form(_template, first, last, email);

    private Task<CaregiverSendResult> Send(CaregiverInviteForm form, int? patientId = null) =>
        _host.Scoped<CaregiverInviteService>().SendAsync(patientId ?? _leo.Id, form, Staff.FrontDesk);

    private static IReadOnlyDictionary<string, string> Refused(CaregiverSendResult result) => Assert.IsType<CaregiverSendResult.Invalid>(result).Errors;

    private async Task AssertNothingSavedAsync()
    {
        await using var db = await _host.DbAsync();
        Assert.Equal((0, 0, 0), (await db.CaregiverAccesses.CountAsync(), await db.PortalInvites.CountAsync(), await db.OutboxEmails.CountAsync()));
    }

    [Fact]
    public async Task Sending_typed_details_records_an_invited_access_one_pending_invite_and_its_email()
    {
        var sent = Assert.IsType<CaregiverSendResult.Sent>(await Send(Form()));

        await using var db = await _host.DbAsync();
        var access = await db.CaregiverAccesses.SingleAsync();
        Assert.Equal((sent.AccessId, _leo.Id, "Anna Tran", "anna.tran@example.com", CaregiverAccessStatus.Invited, (string?)null),
            (access.Id, access.PatientClientId, access.FullName, access.Email, access.Status, access.PortalUserId));
        var invite = await db.PortalInvites.SingleAsync();
        Assert.Equal((_leo.Id, (long?)access.Id, InviteStatus.Pending), (invite.ClientId, invite.CaregiverAccessId, invite.Status));
        var email = await db.OutboxEmails.SingleAsync();
        Assert.Equal(("anna.tran@example.com", "caregiver-invite", _leo.Id, (long?)email.Id), (email.ToAddress, email.Kind, email.ClientId, invite.OutboxEmailId));
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.CaregiverInviteSend);
        Assert.Equal((_leo.Id, AuditOutcome.Succeeded, "staff-frontdesk"), (audit.ClientId, audit.Outcome, audit.StaffUserId));
    }

    [Fact]
    public async Task The_email_carries_a_43_character_link_that_is_stored_only_as_its_hash()
    {
        var sent = Assert.IsType<CaregiverSendResult.Sent>(await Send(Form()));

        var token = await CaregiverInvites.QueuedTokenAsync(_host, sent.AccessId);

        Assert.Equal(43, token.Length);
        await using var db = await _host.DbAsync();
        var invite = await db.PortalInvites.SingleAsync();
        var email = await db.OutboxEmails.SingleAsync();
        var stored = string.Join("|", email.HtmlBody, email.TextBody, email.ProtectedSecret, invite.BodyHtml, invite.BodyText,
            string.Join("|", await db.AuditEvents.Select(a => a.Details).ToListAsync()));
        Assert.DoesNotContain(token, stored);
        Assert.Contains("https://portal.clinic.example/register/your-personal-link", invite.BodyText);
    }

    [Fact]
    public async Task A_caregiver_picked_from_the_clients_gets_the_name_email_and_phone_of_their_card_not_what_was_typed()
    {
        var minh = await _host.AddClientAsync("Minh", "Tran", new DateOnly(1981, 1, 30), "minh.tran@example.com", "(416) 555-0177");
        var form = Form();
        form.CaregiverClientId = minh.Id;

        var sent = Assert.IsType<CaregiverSendResult.Sent>(await Send(form));

        await using var db = await _host.DbAsync();
        var access = await db.CaregiverAccesses.SingleAsync(a => a.Id == sent.AccessId);
        Assert.Equal(((int?)minh.Id, "Minh Tran", "minh.tran@example.com", "(416) 555-0177"), (access.CaregiverClientId, access.FullName, access.Email, access.Phone));
        Assert.Equal("minh.tran@example.com", (await db.OutboxEmails.SingleAsync()).ToAddress);
    }

    [Fact]
    public async Task The_look_up_finds_active_clients_but_never_the_patient_or_an_end_dated_card()
    {
        var minh = await _host.AddClientAsync("Minh", "Tran", email: "minh.tran@example.com");
        await _host.AddClientAsync("Bao", "Tran", email: "bao.tran@example.com", endDate: new DateOnly(2026, 3, 4));

        var found = await _host.Scoped<CaregiverAccessService>().FindCandidatesAsync(_leo.Id, "tran");

        Assert.Equal([minh.Id], found.Select(c => c.ClientId));
        Assert.Equal("(416) 555-0101", found[0].Phone); // stored in E.164, shown as people read it
    }

    [Fact]
    public async Task The_look_up_answers_five_thousand_pasted_words_with_the_first_words()
    {
        var minh = await _host.AddClientAsync("Minh", "Tran", email: "minh.tran@example.com");
        var pasted = "minh tran " + string.Join(' ', Enumerable.Range(0, 5_000).Select(_ => "tran"));

        var found = await _host.Scoped<CaregiverAccessService>().FindCandidatesAsync(_leo.Id, pasted);

        Assert.Equal([minh.Id], found.Select(c => c.ClientId));
    }

    [Theory]
    [InlineData(nameof(CaregiverInviteForm.FirstName), "Enter the caregiver's first name.")]
    [InlineData(nameof(CaregiverInviteForm.LastName), "Enter the caregiver's last name.")]
    [InlineData(nameof(CaregiverInviteForm.Email), "Enter the caregiver's email address: the invite goes there.")]
    [InlineData(nameof(CaregiverInviteForm.Relationship), "Choose how the caregiver is related to the patient.")]
    public async Task A_missing_required_field_is_refused_with_its_message_and_nothing_is_saved(string field, string message)
    {
        var form = Form();
        switch (field)
        {
            case nameof(form.FirstName): form.FirstName = " "; break;
            case nameof(form.LastName): form.LastName = null; break;
            case nameof(form.Email): form.Email = ""; break;
            case nameof(form.Relationship): form.Relationship = null; break;
        }

        Assert.Equal(message, Refused(await Send(form))[field]);
        await AssertNothingSavedAsync();
    }

    [Theory]
    [InlineData("anna.tran@example", "This email address is missing its domain, like name@example.com.")]
    [InlineData("anna.tran@example.com, minh@example.com", "Enter exactly one email address, like name@example.com (no spaces, commas or semicolons).")]
    public async Task An_invalid_email_is_refused_with_the_reason(string email, string message)
    {
        Assert.Equal(message, Refused(await Send(Form(email: email)))["Email"]);
        await AssertNothingSavedAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task An_access_end_date_that_is_not_after_today_is_refused(int daysFromToday)
    {
        var form = Form();
        form.EndsOn = new DateOnly(2026, 3, 4).AddDays(daysFromToday); // today in the clinic's time zone

        Assert.Equal("The access end date must be after today.", Refused(await Send(form))["EndsOn"]);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task An_end_dated_patient_gets_no_caregiver_and_the_refusal_is_audited()
    {
        var ended = await _host.AddClientAsync("Olivia", "Roy", email: "olivia.roy@example.com", endDate: new DateOnly(2026, 3, 4));

        Assert.Equal(CaregiverMessages.PatientEnded, Refused(await Send(Form(), ended.Id))[""]);

        await AssertNothingSavedAsync();
        await using var db = await _host.DbAsync();
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.CaregiverInviteSend);
        Assert.Equal((ended.Id, AuditOutcome.Refused), (audit.ClientId, audit.Outcome));
    }

    [Fact]
    public async Task A_caregiver_whose_client_card_is_end_dated_is_refused()
    {
        var minh = await _host.AddClientAsync("Minh", "Tran", email: "minh.tran@example.com", endDate: new DateOnly(2026, 3, 1));
        var form = Form();
        form.CaregiverClientId = minh.Id;

        Assert.Equal(CaregiverMessages.CaregiverEnded("Minh Tran"), Refused(await Send(form))["CaregiverClientId"]);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task A_patient_cannot_be_their_own_caregiver()
    {
        var form = Form();
        form.CaregiverClientId = _leo.Id;

        Assert.Equal(CaregiverMessages.OwnCaregiver, Refused(await Send(form))["CaregiverClientId"]);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task The_patients_own_email_in_any_case_is_refused()
    {
        Assert.Equal(CaregiverMessages.PatientsOwnEmail("Leo Tran"), Refused(await Send(Form(email: " Leo.TRAN@example.com ")))["Email"]);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task An_email_of_a_staff_account_is_refused()
    {
        var users = _host.Scoped<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>();
        var staff = new PortalUser { UserName = "fran.desk@clinic.example", Email = "fran.desk@clinic.example", DisplayName = "Fran Desk", CreatedAtUtc = ServiceTestHost.Start.UtcDateTime };
        Assert.True((await users.CreateAsync(staff, "staff password long enough")).Succeeded);
        Assert.True((await users.AddToRoleAsync(staff, StaffRoles.FrontDesk)).Succeeded);

        Assert.Equal(CaregiverMessages.StaffEmail, Refused(await Send(Form(email: "Fran.Desk@clinic.example")))["Email"]);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task A_second_invite_for_the_same_caregiver_and_patient_while_one_is_open_is_refused()
    {
        Assert.IsType<CaregiverSendResult.Sent>(await Send(Form()));

        Assert.Equal(CaregiverMessages.AlreadyInvited, Refused(await Send(Form(email: "ANNA.TRAN@example.com")))["Email"]);

        await using var db = await _host.DbAsync();
        Assert.Equal((1, 1), (await db.CaregiverAccesses.CountAsync(), await db.OutboxEmails.CountAsync()));
    }

    [Fact]
    public async Task Two_parents_with_their_own_emails_can_both_be_invited_for_one_patient()
    {
        foreach (var form in new[] { Form(), Form("Minh", "Tran", "minh.tran@example.com") })
        {
            var result = await Send(form);
            Assert.True(result is CaregiverSendResult.Sent, result is CaregiverSendResult.Invalid invalid ? string.Join("; ", invalid.Errors.Values) : null);
        }

        await using var db = await _host.DbAsync();
        Assert.Equal(["Anna Tran", "Minh Tran"], (await db.CaregiverAccesses.OrderBy(a => a.Id).ToListAsync()).Select(a => a.FullName));
        Assert.Equal(2, await db.PortalInvites.CountAsync(i => i.ClientId == _leo.Id && i.Status == InviteStatus.Pending));
        Assert.Equal(2, await db.OutboxEmails.CountAsync());
    }

    [Fact]
    public async Task Parallel_sends_for_one_caregiver_make_one_access_and_one_email()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Send(Form()))));

        Assert.Single(results.OfType<CaregiverSendResult.Sent>());
        Assert.All(results.OfType<CaregiverSendResult.Invalid>(), r => Assert.Contains(CaregiverMessages.AlreadyInvited, r.Errors.Values));
        await using var db = await _host.DbAsync();
        Assert.Equal((1, 1, 1), (await db.CaregiverAccesses.CountAsync(), await db.PortalInvites.CountAsync(), await db.OutboxEmails.CountAsync()));
    }

    [Fact]
    public async Task An_unknown_template_or_one_of_another_kind_is_refused()
    {
        var patientTemplate = (await _host.Scoped<TemplateService>().ListAsync(TemplateKind.PortalInvite)).First().Id;
        var unknown = Form();
        unknown.TemplateId = 99_999;
        var otherKind = Form();
        otherKind.TemplateId = patientTemplate;

        Assert.Equal(CaregiverMessages.TemplateGone, Refused(await Send(unknown))["TemplateId"]);
        Assert.Equal(CaregiverMessages.TemplateGone, Refused(await Send(otherKind))["TemplateId"]);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task On_a_full_disk_sending_says_so_and_saves_nothing()
    {
        // A long template: the invite's email then needs new database pages, which a full disk cannot give.
        var template = Assert.IsType<TemplateSaveResult.Saved>(await _host.Scoped<TemplateService>().SaveAsync(new TemplateEditModel
        {
            Kind = TemplateKind.CaregiverInvite, Name = "Long", Subject = "Your access", Body = "{{ invite_link }} " + string.Join(" ", Enumerable.Repeat("welcome", 2_000)),
        }, Staff.Admin));
        var form = Form();
        form.TemplateId = template.Id;
        _host.FillDisk();

        Assert.Equal(DatabaseFailures.Message, Refused(await Send(form))[""]);

        await AssertNothingSavedAsync();
        await using var db = await _host.DbAsync();
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.CaregiverInviteSend));
    }
}
