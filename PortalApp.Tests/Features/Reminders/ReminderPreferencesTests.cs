using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clients;
using PortalApp.Features.Reminders;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Reminders;

[Trait("Providers", "Both")]
public sealed class ReminderPreferencesTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _emma = null!;

    private ReminderPreferencesService Preferences => _host.Scoped<ReminderPreferencesService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<Client> StoredAsync()
    {
        await using var db = await _host.DbAsync();
        return await db.Clients.AsNoTracking().SingleAsync(c => c.Id == _emma.Id);
    }

    private async Task<ReminderPreferencesView> SaveAsync(Action<ReminderPreferencesForm> change)
    {
        var form = (await Preferences.GetAsync(_emma.Id))!.ToForm();
        change(form);
        return Assert.IsType<ReminderPreferencesSaveResult.Saved>(await Preferences.SaveAsync(_emma.Id, form, Staff.FrontDesk)).Preferences;
    }

    [Fact]
    public async Task A_client_with_no_choice_gets_the_clinics_channels()
    {
        var view = (await Preferences.GetAsync(_emma.Id))!;

        Assert.Empty(view.Chosen);
        Assert.Equal([MessageChannel.Email], view.ClinicChannels);
        Assert.Empty(view.OptOuts);
    }

    [Fact]
    public async Task Ticking_channels_stores_them_and_unticking_all_returns_to_the_clinics()
    {
        var view = await SaveAsync(f => (f.Email, f.Sms) = (true, true));
        Assert.Equal("Email,Sms", (await StoredAsync()).ReminderChannels);
        Assert.Equal([MessageChannel.Email, MessageChannel.Sms], view.Chosen.Order());

        await SaveAsync(f => (f.Email, f.Sms) = (false, false));
        Assert.Null((await StoredAsync()).ReminderChannels);

        await using var db = await _host.DbAsync();
        Assert.Equal(["remind by: Email, Text message", "remind by: the clinic's channels"],
            await db.AuditEvents.Where(e => e.Action == AuditActions.ClientReminderPreferences && e.ClientId == _emma.Id).OrderBy(e => e.Id).Select(e => e.Details).ToListAsync());
    }

    [Fact]
    public async Task An_opt_out_records_when_and_who_keeps_its_time_when_saved_again_and_opting_back_in_clears_it()
    {
        var now = ServiceTestHost.Start.UtcDateTime;
        var view = await SaveAsync(f => f.SmsOptedOut = true);
        Assert.Equal(new OptOutView(now, "set on this card by Fran Desk"), view.OptOuts[MessageChannel.Sms]);

        _host.Time.Advance(TimeSpan.FromHours(2));
        await SaveAsync(f => f.Voice = true);
        Assert.Equal(now, (await StoredAsync()).SmsOptOutAtUtc);

        await SaveAsync(f => f.SmsOptedOut = false);
        Assert.Null((await StoredAsync()).SmsOptOutAtUtc);
        await using var db = await _host.DbAsync();
        Assert.Equal(["opted out of texts", "remind by: Voice call", "opted back in to texts"],
            await db.AuditEvents.Where(e => e.Action == AuditActions.ClientReminderPreferences).OrderBy(e => e.Id).Select(e => e.Details).ToListAsync());
    }

    [Fact]
    public async Task A_stop_reply_shows_on_the_card_as_how_the_client_opted_out()
    {
        var at = ServiceTestHost.Start.UtcDateTime.AddMinutes(-5);
        await using (var db = await _host.DbAsync())
        {
            db.InboundMessages.Add(new InboundMessage
            {
                Channel = MessageChannel.Sms, FromNumber = "+14165550101", ToNumber = "+14165550100", Body = "STOP", ProviderMessageId = "SM-stop-1",
                ReceivedAtUtc = at, Outcome = InboundOutcome.OptedOut,
            });
            await db.SaveChangesAsync();
        }
        await _host.ClientAsync(_emma.Id, c => c.SmsOptOutAtUtc = at);

        var view = (await Preferences.GetAsync(_emma.Id))!;

        Assert.Equal(new OptOutView(at, "by replying “STOP” to a text"), view.OptOuts[MessageChannel.Sms]);
        Assert.True(view.ToForm().SmsOptedOut);
    }

    [Fact]
    public async Task Choices_made_on_a_card_someone_else_saved_meanwhile_are_refused()
    {
        var form = (await Preferences.GetAsync(_emma.Id))!.ToForm();
        var details = (await _host.Scoped<ClientService>().GetAsync(_emma.Id))!.ToEditModel();
        details.City = "Guelph";
        Assert.IsType<ClientSaveResult.Saved>(await _host.Scoped<ClientService>().UpdateAsync(_emma.Id, details, Staff.Admin));

        form.EmailOptedOut = true;
        var conflict = Assert.IsType<ReminderPreferencesSaveResult.Conflict>(await Preferences.SaveAsync(_emma.Id, form, Staff.FrontDesk));

        Assert.Equal(ReminderPreferencesService.ConflictMessage, conflict.Message);
        Assert.Null((await StoredAsync()).EmailOptOutAtUtc);
    }

    [Fact]
    public async Task A_card_merged_into_another_takes_no_choices()
    {
        var survivor = await _host.AddClientAsync("Emma", "Smyth");
        await _host.ClientAsync(_emma.Id, c => c.MergedIntoClientId = survivor.Id);
        var form = (await Preferences.GetAsync(_emma.Id))!.ToForm();
        form.Sms = true;

        Assert.Equal(ClientMessages.MergedAway, Assert.IsType<ReminderPreferencesSaveResult.Unsaved>(await Preferences.SaveAsync(_emma.Id, form, Staff.FrontDesk)).Message);
    }
}
