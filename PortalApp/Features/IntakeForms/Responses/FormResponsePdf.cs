using System.Reflection;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using PortalApp.Components.Shared;

namespace PortalApp.Features.IntakeForms.Responses;

/// <summary>What the PDF of a submitted response says: made once, at submission, and kept as the unchangeable record.</summary>
/// <param name="FilledBy">"Nora Quinn", or "Maya Rivera for Lily Rivera" when a caregiver filled it in.</param>
/// <param name="ScoreLine">"Total score: 12 (Moderate)", or null when the form has no score.</param>
public sealed record FormResponsePdfContent(
    string ClinicName, string FormTitle, int VersionNumber, string PatientName, string FilledBy, DateTime SubmittedAtUtc,
    TimeZoneInfo Zone, IReadOnlyList<AnswerRow> Rows, string? ScoreLine);

/// <summary>
/// The PDF of a response (PDFsharp 6.2, MIT): title, patient, who filled it in, when (clinic time), the form's version,
/// each section and question with its answer as <see cref="FormAnswerDisplay"/> reads it, the score, page numbers.
/// Drawn with DejaVu Sans embedded in the app, so it works on a server with no fonts installed.
/// </summary>
public static class FormResponsePdf
{
    private const double Margin = 56; // points: about 2 cm
    private const double BodySize = 10.5;

    public static byte[] Make(FormResponsePdfContent content)
    {
        EmbeddedFont.EnsureRegistered();
        using var document = new PdfDocument();
        document.Info.Title = $"{content.FormTitle}: {content.PatientName}";
        document.Info.Author = content.ClinicName;
        document.Info.Subject = $"Submitted {Dates.FormatClinicTime(content.SubmittedAtUtc, content.Zone)}";
        var writer = new PageWriter(document);
        writer.Line(content.FormTitle, writer.Title);
        writer.Line(content.ClinicName, writer.Body);
        writer.Gap(6);
        writer.Line($"Patient: {content.PatientName}", writer.Body);
        writer.Line($"Filled in by: {content.FilledBy}", writer.Body);
        writer.Line($"Submitted: {Dates.FormatClinicTime(content.SubmittedAtUtc, content.Zone)}", writer.Body);
        writer.Line($"Form version: {content.VersionNumber}", writer.Body);
        if (content.ScoreLine is not null)
            writer.Line(content.ScoreLine, writer.Bold);
        writer.Gap(10);
        foreach (var row in content.Rows.Where(r => !r.StaffOnly && !r.Hidden))
        {
            var indent = Math.Max(0, row.Depth - 1) * 12;
            switch (row.Kind)
            {
                case AnswerRowKind.Section:
                    writer.Gap(8);
                    writer.Line(row.Label, writer.Heading);
                    break;
                case AnswerRowKind.Group:
                    writer.Line(row.Label, writer.Bold, indent);
                    break;
                case AnswerRowKind.Display:
                    writer.Line(row.Label, writer.Body, indent);
                    break;
                default:
                    writer.Line(row.Label, writer.Bold, indent);
                    writer.Line(row.Answer ?? "Not answered", writer.Body, indent + 12);
                    writer.Gap(4);
                    break;
            }
        }
        writer.NumberPages();
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    /// <summary>Writes lines down the page, wrapping words and starting a new page when one is full.</summary>
    private sealed class PageWriter
    {
        private readonly PdfDocument _document;
        private XGraphics _graphics = null!;
        private PdfPage _page = null!;
        private double _y;

        public PageWriter(PdfDocument document)
        {
            _document = document;
            NewPage();
        }

        public XFont Title { get; } = new(EmbeddedFont.Family, 16, XFontStyleEx.Bold);
        public XFont Heading { get; } = new(EmbeddedFont.Family, 13, XFontStyleEx.Bold);
        public XFont Bold { get; } = new(EmbeddedFont.Family, BodySize, XFontStyleEx.Bold);
        public XFont Body { get; } = new(EmbeddedFont.Family, BodySize, XFontStyleEx.Regular);

        private double Width => _page.Width.Point - 2 * Margin;
        private double Bottom => _page.Height.Point - Margin - 20;

        public void Gap(double points) => _y += points;

        public void Line(string text, XFont font, double indent = 0)
        {
            var height = font.GetHeight() * 1.15;
            foreach (var paragraph in text.Replace("\r", "").Split('\n'))
            {
                foreach (var line in Wrap(paragraph, font, Width - indent))
                {
                    if (_y + height > Bottom)
                        NewPage();
                    _graphics.DrawString(line, font, XBrushes.Black, new XRect(Margin + indent, _y, Width - indent, height), XStringFormats.TopLeft);
                    _y += height;
                }
            }
        }

        public void NumberPages()
        {
            _graphics.Dispose();
            var font = new XFont(EmbeddedFont.Family, 9, XFontStyleEx.Regular);
            for (var i = 0; i < _document.PageCount; i++)
            {
                var page = _document.Pages[i];
                using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
                graphics.DrawString($"Page {i + 1} of {_document.PageCount}", font, XBrushes.Black,
                    new XRect(Margin, page.Height.Point - Margin, page.Width.Point - 2 * Margin, 14), XStringFormats.TopRight);
            }
        }

        private void NewPage()
        {
            _graphics?.Dispose();
            _page = _document.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _graphics = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }

        private IEnumerable<string> Wrap(string paragraph, XFont font, double width)
        {
            var line = "";
            foreach (var word in paragraph.Split(' '))
            {
                var candidate = line.Length == 0 ? word : $"{line} {word}";
                if (line.Length > 0 && _graphics.MeasureString(candidate, font).Width > width)
                {
                    yield return line;
                    line = word;
                }
                else
                {
                    line = candidate;
                }
                // A word wider than the line (a long link or a run of letters) is cut where it meets the margin.
                while (_graphics.MeasureString(line, font).Width > width && line.Length > 1)
                {
                    var cut = line.Length - 1;
                    while (cut > 1 && _graphics.MeasureString(line[..cut], font).Width > width)
                        cut--;
                    yield return line[..cut];
                    line = line[cut..];
                }
            }
            yield return line;
        }
    }

    /// <summary>PDFsharp asks this for every font; it has one, DejaVu Sans, embedded in the assembly (bold is simulated).</summary>
    private sealed class EmbeddedFont : IFontResolver
    {
        public const string Family = "DejaVu Sans";
        private static readonly Lock Gate = new();
        private static readonly Lazy<byte[]> Bytes = new(() =>
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("PortalApp.Fonts.DejaVuSans.ttf")
                ?? throw new InvalidOperationException("The PDF font PortalApp.Fonts.DejaVuSans.ttf is missing from the assembly.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });

        /// <summary>PDFsharp's resolver is process-wide and may be set only once.</summary>
        public static void EnsureRegistered()
        {
            lock (Gate)
            {
                if (GlobalFontSettings.FontResolver is not EmbeddedFont)
                    GlobalFontSettings.FontResolver = new EmbeddedFont();
            }
        }

        public FontResolverInfo ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
            new(Family, isBold, isItalic);

        public byte[] GetFont(string faceName) => Bytes.Value;
    }
}
