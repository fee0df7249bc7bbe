using System.Text;
using PortalApp.Data;
using PortalApp.Features.Import;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Import;

[Trait("Providers", "Both")]
public sealed class CsvFileTests
{
    private const string Accented = "First name,Last name,City\nHélène,Côté,Montréal\nFrançois,Lévesque,Trois-Rivières\n";

    [Theory]
    [InlineData("utf8", "UTF-8")]
    [InlineData("utf8-bom", "UTF-8 (with BOM)")]
    [InlineData("windows-1252", "Windows-1252")]
    public void Accents_survive_in_utf8_with_or_without_bom_and_in_windows_1252(string encoding, string expectedName)
    {
        var bytes = encoding switch
        {
            "utf8" => ClinicCsv.Utf8(Accented),
            "utf8-bom" => ClinicCsv.Utf8(Accented, bom: true),
            _ => ClinicCsv.Windows1252.GetBytes(Accented),
        };

        var table = ClinicCsv.Read(bytes);

        Assert.Equal(expectedName, table.EncodingName);
        Assert.Equal(["First name", "Last name", "City"], table.Headers);
        Assert.Equal(["Hélène", "Côté", "Montréal"], table.Rows[0].Values);
        Assert.Equal("François", table.Rows[1].Values[0]);
        Assert.Equal("Trois-Rivières", table.Rows[1].Values[2]);
    }

    [Fact]
    public void The_windows_1252_clinic_file_keeps_e_acute_c_cedilla_and_o_circumflex()
    {
        var table = ClinicCsv.Read(ClinicCsv.WindowsClients().Bytes);

        Assert.Equal("Windows-1252", table.EncodingName);
        Assert.Equal("Prénom", table.Headers[1]);
        Assert.Contains(table.Rows, r => r.Values[1] == "François");
        Assert.Contains(table.Rows, r => r.Values[2] == "Côté");
        Assert.Equal("Montréal", table.Rows[0].Values[7]);
        Assert.Equal(200, table.Rows.Count);
    }

    [Fact]
    public void Semicolons_quotes_and_line_numbers_are_read_as_a_spreadsheet_shows_them()
    {
        var table = ClinicCsv.Read("First name;Last name;Street address\nEmma;Smith;\"12 Main St; Unit 4\"\n\nNoah;\"O\"\"Brien\";\"line one\nline two\"\nLiam;Wong;x\n");

        Assert.Equal(';', table.Separator);
        Assert.Equal("12 Main St; Unit 4", table.Rows[0].Values[2]);
        Assert.Equal("O\"Brien", table.Rows[1].Values[1]);
        Assert.Equal([2, 4, 6], table.Rows.Select(r => r.Line));
    }

    [Fact]
    public void A_formula_escaped_by_our_export_reads_back_as_the_value()
    {
        var table = ClinicCsv.Read("Mobile phone,Note\n'+14165550101,'=SUM(A1)\n");

        Assert.Equal(["+14165550101", "=SUM(A1)"], table.Rows[0].Values);
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused_without_reading_past_it()
    {
        var endless = new CountingStream();

        var result = await CsvFile.ReadAsync("huge.csv", endless, TestContext.Current.CancellationToken);

        var refused = Assert.IsType<CsvReadResult.Refused>(result);
        Assert.Equal("This file is larger than 20 MB. Split it into smaller files and import them one after the other.", refused.Message);
        Assert.Equal(CsvFile.MaxBytes + 1, endless.BytesRead);
    }

    [Fact]
    public async Task The_service_refuses_a_file_the_browser_says_is_too_big_before_opening_it()
    {
        await using var host = await ServiceTestHost.StartAsync();
        var opened = false;

        var result = await host.Scoped<ImportService>().ReadAsync(Staff.Admin, "big.csv", CsvFile.MaxBytes + 1, _ => { opened = true; return new MemoryStream(); });

        Assert.Contains("larger than 20 MB", Assert.IsType<CsvReadResult.Refused>(result).Message);
        Assert.False(opened);
    }

    [Fact]
    public void More_rows_than_the_limit_are_refused()
    {
        var text = new StringBuilder("Name\n");
        for (var i = 0; i <= CsvFile.MaxRows; i++)
            text.Append("a\n");

        var result = CsvFile.Parse("rows.csv", ClinicCsv.Utf8(text.ToString()));

        Assert.Equal("This file has more than 200,000 rows. Split it into smaller files and import them one after the other.", Assert.IsType<CsvReadResult.Refused>(result).Message);
    }

    [Fact]
    public void A_field_longer_than_the_limit_is_refused_with_its_line_and_column()
    {
        var result = CsvFile.Parse("long.csv", ClinicCsv.Utf8($"A,B\nx,y\nx,{new string('z', CsvFile.MaxFieldLength + 1)}\n"));

        Assert.Equal("Line 3, column 2: a value is longer than 1,000 characters. Check that the file is a CSV export.", Assert.IsType<CsvReadResult.Refused>(result).Message);
    }

    [Theory]
    [InlineData("", "This file is empty.")]
    [InlineData("First name,Last name\n", "This file has a header row but no rows to import.")]
    [InlineData("First name,Last name\n\"Emma,Smith\n", "This file is not a readable CSV file")]
    public void Unusable_files_get_a_specific_message(string text, string message)
    {
        Assert.StartsWith(message, Assert.IsType<CsvReadResult.Refused>(CsvFile.Parse("f.csv", ClinicCsv.Utf8(text))).Message);
    }

    [Fact]
    public async Task Only_an_admin_may_read_a_file_for_import()
    {
        await using var host = await ServiceTestHost.StartAsync();
        var result = await host.Scoped<ImportService>().ReadAsync(Staff.FrontDesk, "c.csv", 10, _ => new MemoryStream(ClinicCsv.Utf8("A\nb\n")));

        Assert.Equal(ImportService.AdminOnly, Assert.IsType<CsvReadResult.Refused>(result).Message);
    }

    /// <summary>Zeros without end: a reader that does not stop at the limit never returns.</summary>
    private sealed class CountingStream : Stream
    {
        public long BytesRead { get; private set; }
        public override int Read(byte[] buffer, int offset, int count) { Array.Clear(buffer, offset, count); BytesRead += count; return count; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
