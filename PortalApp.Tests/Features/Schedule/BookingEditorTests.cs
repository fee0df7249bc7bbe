using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Schedule;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Schedule;

/// <summary>The booking form as staff fill it in, against the real booking service.</summary>
public sealed class BookingEditorTests : PortalBunitContext
{
    private Client _emma = null!;
    private Practitioner _chen = null!;
    private AppointmentType _followUp = null!, _video = null!;
    private readonly List<ScheduleResult.Done> _done = [];

    protected override async Task SeedAsync()
    {
        _emma = await Host.AddClientAsync();
        _chen = await Host.AddPractitionerAsync("Dr. Chen");
        _followUp = await Host.AddTypeAsync("Follow-up", 30);
        _video = await Host.AddTypeAsync("Video check-in", 15, video: true);
    }

    private IRenderedComponent<MudTestHost> RenderEditor()
    {
        var choices = Host.Scoped<ScheduleQueries>().ChoicesAsync().GetAwaiter().GetResult();
        var initial = new BookingForm { ClientId = _emma.Id, PractitionerId = _chen.Id, Date = new DateTime(2026, 3, 6) };
        Func<BookingForm, Task<ScheduleResult>> submit = form => Host.Scoped<BookingService>().BookAsync(form, Staff.FrontDesk);
        return RenderWithProviders<BookingEditor>(
            (nameof(BookingEditor.Initial), (object?)initial), (nameof(BookingEditor.Choices), choices), (nameof(BookingEditor.ClientName), "Emma Smith"),
            (nameof(BookingEditor.Submit), submit),
            (nameof(BookingEditor.Done), EventCallback.Factory.Create<ScheduleResult.Done>(this, d => _done.Add(d))));
    }

    private static void ChooseType(IRenderedComponent<MudTestHost> editor, string name)
    {
        editor.FindAll(".mud-select .mud-input-control").First().MouseDown();
        editor.WaitForAssertion(() => Assert.NotEmpty(editor.FindAll(".mud-list-item")));
        editor.FindAll(".mud-list-item").Single(i => i.TextContent.Contains(name)).Click();
    }

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<MudTestHost> editor, string label) =>
        editor.FindAll("label").Single(l => l.TextContent.Trim() == label).ParentElement!.QuerySelector("input")!;

    [Fact]
    public void Every_input_has_its_label()
    {
        var editor = RenderEditor();

        var labels = editor.FindAll("label").Select(l => l.TextContent.Trim()).ToList();
        Assert.Superset(new HashSet<string> { "Client", "Appointment type", "Practitioner", "Date", "Start time", "Length (minutes)", "Video visit", "Room" }, labels.ToHashSet());
    }

    [Fact]
    public void Choosing_a_video_type_fills_its_length_and_hides_the_room()
    {
        var editor = RenderEditor();

        ChooseType(editor, "Video check-in");

        editor.WaitForAssertion(() => Assert.Equal("15", Input(editor, "Length (minutes)").GetAttribute("value")));
        Assert.DoesNotContain(editor.FindAll("label"), l => l.TextContent.Trim() == "Room");
    }

    [Fact]
    public async Task A_clash_is_shown_in_the_form_and_a_free_slot_books()
    {
        await Host.Scoped<BookingService>().BookAsync(ScheduleTestData.Form(_emma.Id, _chen.Id, _followUp.Id, new DateOnly(2026, 3, 6), "09:00"), Staff.FrontDesk);
        var editor = RenderEditor();
        ChooseType(editor, "Follow-up");
        Input(editor, "Start time").Change("09:15");

        editor.FindAll("button").Single(b => b.TextContent.Trim() == "Book").Click();

        editor.WaitForAssertion(() => Assert.Equal("Dr. Chen is already booked 09:00–09:30 (Follow-up). Choose another time, or another practitioner.",
            editor.Find("[data-testid=booking-problem]").TextContent.Trim()));
        Assert.Empty(_done);

        Input(editor, "Start time").Change("09:30");
        editor.FindAll("button").Single(b => b.TextContent.Trim() == "Book").Click();

        editor.WaitForAssertion(() => Assert.Single(_done));
        await using var db = await Host.DbAsync();
        Assert.Equal(2, await db.Appointments.CountAsync());
    }
}
