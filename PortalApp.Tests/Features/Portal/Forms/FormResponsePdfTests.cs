using System.Text;
using PdfSharp.Pdf.IO;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Responses;

namespace PortalApp.Tests.Features.Portal.Forms;

/// <summary>The response's PDF, drawn with the font embedded in the app (no system fonts needed), read back by PDFsharp.</summary>
public sealed class FormResponsePdfTests
{
    private static FormResponsePdfContent Content(int questions) => new(
        "Test Clinic", "General health history", 3, "Lily Rivera", "Maya Rivera for Lily Rivera", new DateTime(2026, 3, 7, 20, 5, 0, DateTimeKind.Utc),
        TimeZoneInfo.FindSystemTimeZoneById("America/Toronto"),
        [
            new AnswerRow("s1", AnswerRowKind.Section, 1, "Your health", null, false, false),
            .. Enumerable.Range(1, questions).Select(i => new AnswerRow($"q{i}", AnswerRowKind.Question, 2, $"Question {i}: anything else we should know?",
                i % 3 == 0 ? null : $"Answer {i}: " + string.Join(' ', Enumerable.Repeat("a long answer that wraps onto more lines,", 6)), false, false)),
            new AnswerRow("staff", AnswerRowKind.Question, 2, "Staff note", "never printed for the patient", true, false),
        ],
        "Total score: 12 (Moderate)");

    [Fact]
    public void A_long_response_runs_over_numbered_pages_and_reads_back_with_its_title()
    {
        var bytes = FormResponsePdf.Make(Content(questions: 120));

        using var pdf = PdfReader.Open(new MemoryStream(bytes), PdfDocumentOpenMode.Import);
        Assert.InRange(pdf.PageCount, 5, 60);
        Assert.Equal("General health history: Lily Rivera", pdf.Info.Title);
        Assert.Equal("Submitted Sat 7 Mar 2026, 3:05 PM", pdf.Info.Subject);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5));
    }

    [Fact]
    public void The_font_is_embedded_so_any_reader_shows_the_same_letters()
    {
        var text = Encoding.Latin1.GetString(FormResponsePdf.Make(Content(questions: 3)));

        Assert.Contains("/FontFile2", text); // the TrueType program itself, not a font name the reader must have
    }
}
