namespace PortalApp.Data;

public enum ImportKind
{
    Clients,
    Appointments,
}

public enum ImportJobStatus
{
    Running,
    Succeeded,
    Failed,
    Interrupted,
}

/// <summary>One CSV import as staff started it; the Import page shows its progress and counts.</summary>
public class ImportJob
{
    public int Id { get; set; }
    public ImportKind Kind { get; set; }
    public string FileName { get; set; } = "";
    public ImportJobStatus Status { get; set; }

    /// <summary>"Import the valid rows" was chosen: refused rows are skipped instead of stopping the whole file.</summary>
    public bool ValidRowsOnly { get; set; }
    public int TotalRows { get; set; }
    public int ProcessedRows { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Refused { get; set; }
    public string? Error { get; set; }
    public string StartedByUserId { get; set; } = "";
    public string StartedByName { get; set; } = "";
    public DateTime StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
}
