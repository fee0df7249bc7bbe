using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PortalApp.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AppointmentReminders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_MessageTemplates_OneDefaultPerKind",
                table: "MessageTemplates");

            migrationBuilder.AddColumn<string>(
                name: "Language",
                table: "MessageTemplates",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "English");

            migrationBuilder.AddColumn<DateTime>(
                name: "EmailOptOutAtUtc",
                table: "Clients",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReminderChannels",
                table: "Clients",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SmsOptOutAtUtc",
                table: "Clients",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "VoiceOptOutAtUtc",
                table: "Clients",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ConfirmedAtUtc",
                table: "Appointments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedVia",
                table: "Appointments",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "OutboundMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Recipient = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    RecipientName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ClientId = table.Column<int>(type: "INTEGER", nullable: true),
                    AppointmentId = table.Column<int>(type: "INTEGER", nullable: true),
                    Language = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Body = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    ProtectedSecret = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    StatusDetail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NextAttemptAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastAttemptAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SentAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeliveredAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ProviderMessageId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    OutboxEmailId = table.Column<long>(type: "INTEGER", nullable: true),
                    ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LeaseExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboundMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OutboundMessages_Appointments_AppointmentId",
                        column: x => x.AppointmentId,
                        principalTable: "Appointments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OutboundMessages_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OutboundMessages_OutboxEmails_OutboxEmailId",
                        column: x => x.OutboxEmailId,
                        principalTable: "OutboxEmails",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReminderLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AppointmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    ClientId = table.Column<int>(type: "INTEGER", nullable: false),
                    TokenHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ConfirmedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CancelledAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReminderLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReminderLinks_Appointments_AppointmentId",
                        column: x => x.AppointmentId,
                        principalTable: "Appointments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ReminderLinks_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReminderSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    EmailOn = table.Column<bool>(type: "INTEGER", nullable: false),
                    SmsOn = table.Column<bool>(type: "INTEGER", nullable: false),
                    VoiceOn = table.Column<bool>(type: "INTEGER", nullable: false),
                    Schedule = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    QuietStartMinute = table.Column<int>(type: "INTEGER", nullable: false),
                    QuietEndMinute = table.Column<int>(type: "INTEGER", nullable: false),
                    SkipConfirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    AllowOnlineCancel = table.Column<bool>(type: "INTEGER", nullable: false),
                    CancelCutoffHours = table.Column<int>(type: "INTEGER", nullable: false),
                    ShowAppointmentType = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReminderSettings", x => x.Id);
                    table.CheckConstraint("CK_ReminderSettings_CancelCutoff", "\"CancelCutoffHours\" >= 0 AND \"CancelCutoffHours\" <= 168");
                    table.CheckConstraint("CK_ReminderSettings_QuietHours", "\"QuietStartMinute\" >= 0 AND \"QuietStartMinute\" < 1440 AND \"QuietEndMinute\" >= 0 AND \"QuietEndMinute\" < 1440");
                    table.CheckConstraint("CK_ReminderSettings_Singleton", "\"Id\" = 1");
                });

            migrationBuilder.CreateTable(
                name: "AppointmentReminders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AppointmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    ClientId = table.Column<int>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Slot = table.Column<int>(type: "INTEGER", nullable: false),
                    AppointmentStartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DueAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SendAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SkipReason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    OutboundMessageId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DoneAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LeaseExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AppointmentReminders", x => x.Id);
                    table.CheckConstraint("CK_AppointmentReminders_Slot", "\"Slot\" >= 0 AND \"Slot\" < 3");
                    table.ForeignKey(
                        name: "FK_AppointmentReminders_Appointments_AppointmentId",
                        column: x => x.AppointmentId,
                        principalTable: "Appointments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AppointmentReminders_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AppointmentReminders_OutboundMessages_OutboundMessageId",
                        column: x => x.OutboundMessageId,
                        principalTable: "OutboundMessages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InboundMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    FromNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ToNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 1600, nullable: false),
                    ProviderMessageId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReceivedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClientId = table.Column<int>(type: "INTEGER", nullable: true),
                    AppointmentId = table.Column<int>(type: "INTEGER", nullable: true),
                    OutboundMessageId = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ReviewedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReviewedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboundMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InboundMessages_Appointments_AppointmentId",
                        column: x => x.AppointmentId,
                        principalTable: "Appointments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_InboundMessages_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_InboundMessages_OutboundMessages_OutboundMessageId",
                        column: x => x.OutboundMessageId,
                        principalTable: "OutboundMessages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MessageTemplates_OneDefaultPerKindAndLanguage",
                table: "MessageTemplates",
                columns: new[] { "Kind", "Language" },
                unique: true,
                filter: "\"IsDefault\"");

            migrationBuilder.CreateIndex(
                name: "IX_AppointmentReminders_AppointmentId_Channel_Slot_AppointmentStartUtc",
                table: "AppointmentReminders",
                columns: new[] { "AppointmentId", "Channel", "Slot", "AppointmentStartUtc" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AppointmentReminders_ClientId_CreatedAtUtc",
                table: "AppointmentReminders",
                columns: new[] { "ClientId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_AppointmentReminders_OutboundMessageId",
                table: "AppointmentReminders",
                column: "OutboundMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_AppointmentReminders_Status_SendAtUtc",
                table: "AppointmentReminders",
                columns: new[] { "Status", "SendAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_AppointmentId",
                table: "InboundMessages",
                column: "AppointmentId");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_ClientId_ReceivedAtUtc",
                table: "InboundMessages",
                columns: new[] { "ClientId", "ReceivedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_OutboundMessageId",
                table: "InboundMessages",
                column: "OutboundMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_Outcome_ReviewedAtUtc_ReceivedAtUtc",
                table: "InboundMessages",
                columns: new[] { "Outcome", "ReviewedAtUtc", "ReceivedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_ProviderMessageId",
                table: "InboundMessages",
                column: "ProviderMessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboundMessages_AppointmentId",
                table: "OutboundMessages",
                column: "AppointmentId");

            migrationBuilder.CreateIndex(
                name: "IX_OutboundMessages_ClientId_CreatedAtUtc",
                table: "OutboundMessages",
                columns: new[] { "ClientId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_OutboundMessages_CreatedAtUtc",
                table: "OutboundMessages",
                column: "CreatedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_OutboundMessages_OutboxEmailId",
                table: "OutboundMessages",
                column: "OutboxEmailId");

            migrationBuilder.CreateIndex(
                name: "IX_OutboundMessages_ProviderMessageId",
                table: "OutboundMessages",
                column: "ProviderMessageId",
                unique: true,
                filter: "\"ProviderMessageId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_OutboundMessages_Recipient_Channel_CreatedAtUtc",
                table: "OutboundMessages",
                columns: new[] { "Recipient", "Channel", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_OutboundMessages_Status_NextAttemptAtUtc",
                table: "OutboundMessages",
                columns: new[] { "Status", "NextAttemptAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ReminderLinks_AppointmentId",
                table: "ReminderLinks",
                column: "AppointmentId");

            migrationBuilder.CreateIndex(
                name: "IX_ReminderLinks_ClientId",
                table: "ReminderLinks",
                column: "ClientId");

            migrationBuilder.CreateIndex(
                name: "IX_ReminderLinks_TokenHash",
                table: "ReminderLinks",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AppointmentReminders");

            migrationBuilder.DropTable(
                name: "InboundMessages");

            migrationBuilder.DropTable(
                name: "ReminderLinks");

            migrationBuilder.DropTable(
                name: "ReminderSettings");

            migrationBuilder.DropTable(
                name: "OutboundMessages");

            migrationBuilder.DropIndex(
                name: "IX_MessageTemplates_OneDefaultPerKindAndLanguage",
                table: "MessageTemplates");

            migrationBuilder.DropColumn(
                name: "Language",
                table: "MessageTemplates");

            migrationBuilder.DropColumn(
                name: "EmailOptOutAtUtc",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "ReminderChannels",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "SmsOptOutAtUtc",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "VoiceOptOutAtUtc",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "ConfirmedAtUtc",
                table: "Appointments");

            migrationBuilder.DropColumn(
                name: "ConfirmedVia",
                table: "Appointments");

            migrationBuilder.CreateIndex(
                name: "IX_MessageTemplates_OneDefaultPerKind",
                table: "MessageTemplates",
                column: "Kind",
                unique: true,
                filter: "\"IsDefault\"");
        }
    }
}
