using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.Portal.Forms;
using PortalApp.Tests.Features.IntakeForms;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.Portal.Forms.PortalFormsTesting;

namespace PortalApp.Tests.Features.Portal.Forms;

[Trait("Providers", "Both")]
public sealed class PortalFormAttachmentTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private PortalFormsService Forms => _host.Scoped<PortalFormsService>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static readonly FormDefinition CardForm = new("Insurance", null,
    [
        TestForms.Item("card", FormItemType.Attachment, "Photo of your insurance card", required: true),
        new FormItem
        {
            LinkId = "clinic", Type = FormItemType.Group, Text = "For the clinic", StaffOnly = true,
            Items = [TestForms.Item("scan", FormItemType.Attachment, "Scanned copy"), TestForms.Item("checked", FormItemType.String, "Checked by")],
        },
    ]);

    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    public static TheoryData<string, byte[], string> Accepted => new()
    {
        { "card.png", Png, "image/png" },
        { "card.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46], "image/jpeg" },
        { "card.pdf", "%PDF-1.7\n%âãÏÓ\n"u8.ToArray(), "application/pdf" },
        { "IMG_0001.HEIC", [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'h', (byte)'e', (byte)'i', (byte)'c', 0, 0, 0, 0], "image/heic" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task A_photo_or_pdf_is_kept_with_the_type_its_bytes_show_and_its_sha256(string name, byte[] bytes, string type)
    {
        var client = await _host.AddClientAsync();
        var (_, sent) = await SendAsync(_host, client.Id, CardForm);

        var attached = Assert.IsType<AttachResult.Attached>(await Forms.AttachAsync(SelfSession(client), sent.Id, "card", $"C:\\Users\\emma\\{name}", new MemoryStream(bytes), bytes.Length));

        await using var db = await _host.DbAsync();
        var stored = await db.FormAttachments.SingleAsync(f => f.Id == attached.AttachmentId);
        Assert.Equal((name, type, Convert.ToHexStringLower(SHA256.HashData(bytes))), (stored.FileName, stored.ContentType, stored.Sha256));
    }

    [Theory]
    [InlineData("card.png", new byte[] { (byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0 })] // a Windows program named as a photo
    [InlineData("card.jpg", new byte[] { (byte)'<', (byte)'s', (byte)'v', (byte)'g', (byte)' ', (byte)'o', (byte)'n', (byte)'l' })] // SVG can carry script
    [InlineData("card.pdf", new byte[0])]
    public async Task A_file_whose_bytes_are_no_photo_or_pdf_is_refused_whatever_its_name(string name, byte[] bytes)
    {
        var client = await _host.AddClientAsync();
        var (_, sent) = await SendAsync(_host, client.Id, CardForm);

        var refused = Assert.IsType<AttachResult.Refused>(await Forms.AttachAsync(SelfSession(client), sent.Id, "card", name, new MemoryStream(bytes), bytes.Length));

        Assert.Equal(AttachmentTypes.Refusal, refused.Reason);
        await using var db = await _host.DbAsync();
        Assert.False(await db.FormAttachments.AnyAsync(f => f.FormAssignmentId == sent.Id));
    }

    [Fact]
    public async Task A_file_over_10_MB_is_refused_before_it_is_read()
    {
        var client = await _host.AddClientAsync();
        var (_, sent) = await SendAsync(_host, client.Id, CardForm);
        var unreadable = new UnreadableStream();

        var refused = Assert.IsType<AttachResult.Refused>(await Forms.AttachAsync(SelfSession(client), sent.Id, "card", "big.png", unreadable, FormLimits.MaxAttachmentBytes + 1));

        Assert.Equal(PortalFormsService.TooLarge, refused.Reason);
        Assert.False(unreadable.WasRead);
    }

    [Fact]
    public async Task A_file_for_a_staff_only_or_unknown_question_finds_no_question()
    {
        var client = await _host.AddClientAsync();
        var (_, sent) = await SendAsync(_host, client.Id, CardForm);

        Assert.IsType<AttachResult.NotFound>(await Forms.AttachAsync(SelfSession(client), sent.Id, "scan", "a.png", new MemoryStream(Png), Png.Length));
        Assert.IsType<AttachResult.NotFound>(await Forms.AttachAsync(SelfSession(client), sent.Id, "nothing", "a.png", new MemoryStream(Png), Png.Length));
    }

    [Fact]
    public async Task A_replaced_file_leaves_one_a_removed_one_none_and_the_submitted_response_names_the_file()
    {
        var client = await _host.AddClientAsync();
        var (_, sent) = await SendAsync(_host, client.Id, CardForm);
        var session = SelfSession(client);

        await Forms.AttachAsync(session, sent.Id, "card", "first.png", new MemoryStream(Png), Png.Length);
        await Forms.RemoveAttachmentAsync(session, sent.Id, "card");
        var incomplete = Assert.IsType<FormSubmitResult.Incomplete>(await Forms.SubmitAsync(session, sent.Id));
        await Forms.AttachAsync(session, sent.Id, "card", "second.png", new MemoryStream(Png), Png.Length);
        var last = Assert.IsType<AttachResult.Attached>(await Forms.AttachAsync(session, sent.Id, "card", "third.png", new MemoryStream(Png), Png.Length));
        Assert.IsType<FormSubmitResult.Submitted>(await Forms.SubmitAsync(session, sent.Id));

        Assert.Equal("Attach a file to answer this question.", incomplete.Problems["card"]);
        await using var db = await _host.DbAsync();
        Assert.Equal(["third.png"], await db.FormAttachments.Where(f => f.FormAssignmentId == sent.Id).Select(f => f.FileName).ToListAsync());
        var answers = ((JsonRead<FormAnswers>.Read)FormAnswers.FromJson(await db.FormResponses.Where(r => r.FormAssignmentId == sent.Id).Select(r => r.AnswersJson).SingleAsync())).Value;
        Assert.Equal(last.AttachmentId, answers["card"]!.AttachmentId);
    }

    [Fact]
    public async Task Answers_posted_to_questions_inside_a_staff_only_group_are_dropped()
    {
        var client = await _host.AddClientAsync();
        var form = new FormDefinition("Visit", null,
        [
            new FormItem
            {
                LinkId = "visit", Type = FormItemType.Group, Text = "Your visit",
                Items = [TestForms.Item("reason", FormItemType.String, "Reason"), CardForm.Items[1]], // a staff-only group inside the patient's section
            },
        ]);
        var (_, sent) = await SendAsync(_host, client.Id, form);

        await Forms.SaveDraftAsync(SelfSession(client), sent.Id, 1, Posted(("reason", ["Back pain"]), ("checked", ["Me, the patient"])), false, false);

        await using var db = await _host.DbAsync();
        var draft = (await db.FormAssignments.SingleAsync(a => a.Id == sent.Id)).DraftAnswersJson!;
        Assert.Contains("Back pain", draft);
        Assert.DoesNotContain("Me, the patient", draft);
    }

    private sealed class UnreadableStream : MemoryStream
    {
        public bool WasRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            WasRead = true;
            return 0;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            WasRead = true;
            return ValueTask.FromResult(0);
        }
    }
}
