using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Features.Caregivers;
using PortalApp.Features.Messaging;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Caregivers;

/// <summary>A caregiver in the portal: whom they view, what each access level shows, and nothing of anyone else.</summary>
public sealed class CaregiverPortalTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    private const string NorasBirthday = "1979-05-14";

    private static Task<string> TextAsync(HttpResponseMessage response) => PortalForms.TextAsync(response);

    private Task<int> TemplateAsync() => CaregiverInvites.DefaultTemplateAsync(app.Factory.Services);

    private async Task<int> StartConversationAsync(int clientId, string subject)
    {
        using var scope = app.Factory.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<StaffMessagingService>().StartAsync(clientId, subject, "Please see the details.", true, Staff.FrontDesk);
        return Assert.IsType<MessageSendResult.Sent>(result).ConversationId;
    }

    /// <summary>Nora (a registered patient) and Owen, her spouse, picked from his own client card: his account opens his own record too.</summary>
    private async Task<(HttpClient Owen, int NoraId, int OwenId)> OwenCaringForNoraAsync()
    {
        var (noraId, _) = await PortalForms.RegisteredPatientAsync(app.Factory);
        var owen = await CaregiverInvites.AddClientAsync(app.Factory, "Owen", "Quinn", new DateOnly(1977, 11, 5));
        var form = CaregiverInvites.Form(await TemplateAsync(), relationship: CaregiverRelationship.SpousePartner, caregiverClientId: owen.Id);
        var (browser, _) = await CaregiverInvites.RegisteredAsync(app.Factory, noraId, NorasBirthday, form);
        return (browser, noraId, owen.Id);
    }

    private static async Task<HttpResponseMessage> ViewAsync(HttpClient browser, int clientId)
    {
        var page = await browser.GetStringAsync("/portal");
        return await browser.PostAsync("/portal/viewing", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PortalForms.Antiforgery(page), ["clientId"] = clientId.ToString(CultureInfo.InvariantCulture),
        }));
    }

    [Fact]
    public async Task The_switcher_shows_whom_the_caregiver_views_and_switches_between_them()
    {
        var (owen, noraId, owenId) = await OwenCaringForNoraAsync();

        var first = await TextAsync(await owen.GetAsync("/portal"));
        var toOwn = await ViewAsync(owen, owenId);
        var own = await TextAsync(await owen.GetAsync("/portal"));
        await ViewAsync(owen, noraId);
        var back = await TextAsync(await owen.GetAsync("/portal"));

        Assert.Contains("<strong>Viewing: Nora Quinn</strong> — your spouse or partner", first);
        Assert.Contains("<h1>Nora Quinn's portal</h1>", first);
        Assert.Equal((HttpStatusCode.Redirect, "/portal"), (toOwn.StatusCode, toOwn.Headers.Location!.OriginalString));
        Assert.Contains("<strong>Viewing: Owen Quinn</strong> — you", own);
        Assert.Contains("<h1>Hello Owen</h1>", own);
        Assert.Contains("<h1>Nora Quinn's portal</h1>", back);
    }

    [Fact]
    public async Task Messages_show_only_the_viewed_patients_conversations_and_any_other_is_404()
    {
        var (owen, noraId, owenId) = await OwenCaringForNoraAsync();
        var (otherId, _) = await PortalForms.RegisteredPatientAsync(app.Factory);
        var noras = await StartConversationAsync(noraId, "Nora's lab results");
        var others = await StartConversationAsync(otherId, "Another patient's lab results");
        var owens = await StartConversationAsync(owenId, "Owen's own referral");

        var list = await TextAsync(await owen.GetAsync("/portal/messages"));

        Assert.Contains("Nora's lab results", list);
        Assert.DoesNotContain("Another patient's lab results", list);
        Assert.DoesNotContain("Owen's own referral", list);
        Assert.Equal(HttpStatusCode.OK, (await owen.GetAsync($"/portal/messages/{noras}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owen.GetAsync($"/portal/messages/{others}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owen.GetAsync($"/portal/messages/{owens}")).StatusCode); // his own, while viewing Nora
    }

    [Fact]
    public async Task Switching_to_a_patient_the_account_may_not_see_is_404_and_keeps_the_current_view()
    {
        var (owen, _, _) = await OwenCaringForNoraAsync();
        var (otherId, _) = await PortalForms.RegisteredPatientAsync(app.Factory);

        var response = await ViewAsync(owen, otherId);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<h1>Nora Quinn's portal</h1>", await TextAsync(await owen.GetAsync("/portal")));
    }

    [Fact]
    public async Task A_caregivers_reply_is_stored_and_shown_as_sent_on_behalf_of_the_patient()
    {
        var (owen, noraId, _) = await OwenCaringForNoraAsync();
        var conversation = await StartConversationAsync(noraId, "How is the new medication?");

        var reply = await PortalForms.PostAsync(owen, $"/portal/messages/{conversation}", "reply", new() { ["Input.Body"] = "Nora is sleeping better, thank you." });

        Assert.Equal(HttpStatusCode.Redirect, reply.StatusCode);
        Assert.Contains("Sent by Owen Quinn on behalf of Nora Quinn", await TextAsync(await owen.GetAsync($"/portal/messages/{conversation}")));
        await using var db = await app.Factory.DbAsync();
        var message = await db.ConversationMessages.SingleAsync(m => m.ConversationId == conversation && m.FromPatient);
        Assert.Equal(("Owen Quinn", "Nora Quinn", "Nora is sleeping better, thank you."), (message.AuthorName, message.OnBehalfOfName, message.Body));
    }

    [Fact]
    public async Task An_appointments_only_caregiver_sees_appointments_but_no_messages()
    {
        var (noraId, _) = await PortalForms.RegisteredPatientAsync(app.Factory);
        var conversation = await StartConversationAsync(noraId, "Nora's private results");
        await using (var db = await app.Factory.DbAsync())
        {
            var practitioner = await db.Practitioners.FirstAsync(p => p.DisplayName == "Dr. Liam Chen");
            db.Appointments.Add(new Appointment
            {
                ClientId = noraId, Practitioner = practitioner, AppointmentType = new AppointmentType { Name = "Physio review" },
                StartUtc = DateTime.UtcNow.AddDays(3), EndUtc = DateTime.UtcNow.AddDays(3).AddMinutes(30),
                Location = "Room 2", Status = AppointmentStatus.Booked,
            });
            await db.SaveChangesAsync();
        }
        var form = CaregiverInvites.Form(await TemplateAsync(), "Ruth", "Quinn", $"ruth.{Guid.NewGuid():N}@example.com", CaregiverRelationship.Child, CaregiverAccessLevel.AppointmentsOnly);
        var (ruth, _) = await CaregiverInvites.RegisteredAsync(app.Factory, noraId, NorasBirthday, form);

        var home = await TextAsync(await ruth.GetAsync("/portal"));
        var messages = await ruth.GetAsync("/portal/messages");
        var opened = await ruth.GetAsync($"/portal/messages/{conversation}");

        Assert.Contains("Physio review with Dr. Liam Chen", home);
        Assert.Contains("<strong>Viewing: Nora Quinn</strong> — your parent", home);
        Assert.DoesNotContain("href=\"/portal/messages\"", home);
        Assert.DoesNotContain("Intake forms", home);
        Assert.Equal(HttpStatusCode.Forbidden, messages.StatusCode);
        Assert.DoesNotContain("Nora's private results", await TextAsync(messages));
        Assert.Equal(HttpStatusCode.NotFound, opened.StatusCode);
        Assert.DoesNotContain("Nora's private results", await TextAsync(opened));
    }

    [Fact]
    public async Task Staff_can_message_a_child_whose_portal_only_a_caregiver_uses()
    {
        var mia = await CaregiverInvites.AddClientAsync(app.Factory, "Mia", "Quinn", new DateOnly(2018, 6, 9));
        var form = CaregiverInvites.Form(await TemplateAsync(), "Ruth", "Quinn", $"ruth.{Guid.NewGuid():N}@example.com");
        var (ruth, _) = await CaregiverInvites.RegisteredAsync(app.Factory, mia.Id, "2018-06-09", form);

        MessageSendResult result;
        using (var scope = app.Factory.Services.CreateScope())
            result = await scope.ServiceProvider.GetRequiredService<StaffMessagingService>().StartAsync(mia.Id, "Mia's vaccination record", "It is ready.", true, Staff.FrontDesk);

        Assert.True(result is MessageSendResult.Sent, $"Full access covers messages, but staff were refused: {result}");
        Assert.Contains("Mia's vaccination record", await TextAsync(await ruth.GetAsync("/portal/messages")));
    }
}
