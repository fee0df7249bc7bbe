using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PortalApp.Data.Migrations.PostgreSql
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
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "English");

            migrationBuilder.AddColumn<DateTime>(
                name: "EmailOptOutAtUtc",
                table: "Clients",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReminderChannels",
                table: "Clients",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SmsOptOutAtUtc",
                table: "Clients",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "VoiceOptOutAtUtc",
                table: "Clients",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ConfirmedAtUtc",
                table: "Appointments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConfirmedVia",
                table: "Appointments",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "OutboundMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Recipient = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    RecipientName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ClientId = table.Column<int>(type: "integer", nullable: true),
                    AppointmentId = table.Column<int>(type: "integer", nullable: true),
                    Language = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Body = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    ProtectedSecret = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    StatusDetail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    NextAttemptAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastAttemptAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SentAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DeliveredAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ProviderMessageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    OutboxEmailId = table.Column<long>(type: "bigint", nullable: true),
                    ClaimedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeaseExpiresAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AppointmentId = table.Column<int>(type: "integer", nullable: false),
                    ClientId = table.Column<int>(type: "integer", nullable: false),
                    TokenHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ConfirmedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CancelledAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
                    Id = table.Column<int>(type: "integer", nullable: false),
                    EmailOn = table.Column<bool>(type: "boolean", nullable: false),
                    SmsOn = table.Column<bool>(type: "boolean", nullable: false),
                    VoiceOn = table.Column<bool>(type: "boolean", nullable: false),
                    Schedule = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    QuietStartMinute = table.Column<int>(type: "integer", nullable: false),
                    QuietEndMinute = table.Column<int>(type: "integer", nullable: false),
                    SkipConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    AllowOnlineCancel = table.Column<bool>(type: "boolean", nullable: false),
                    CancelCutoffHours = table.Column<int>(type: "integer", nullable: false),
                    ShowAppointmentType = table.Column<bool>(type: "boolean", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AppointmentId = table.Column<int>(type: "integer", nullable: false),
                    ClientId = table.Column<int>(type: "integer", nullable: false),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Slot = table.Column<int>(type: "integer", nullable: false),
                    AppointmentStartUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DueAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SendAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    SkipReason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    OutboundMessageId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DoneAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClaimedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeaseExpiresAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FromNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ToNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Body = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: false),
                    ProviderMessageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReceivedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClientId = table.Column<int>(type: "integer", nullable: true),
                    AppointmentId = table.Column<int>(type: "integer", nullable: true),
                    OutboundMessageId = table.Column<long>(type: "bigint", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ReviewedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ReviewedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
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
                name: "IX_AppointmentReminders_AppointmentId_Channel_Slot_Appointment~",
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
