using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PortalApp.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class BulkSends : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ListUnsubscribeUrl",
                table: "OutboxEmails",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "BulkRecentDays",
                table: "ClinicSettings",
                type: "integer",
                nullable: false,
                defaultValue: 3);

            migrationBuilder.AddColumn<int>(
                name: "BulkUndoMinutes",
                table: "ClinicSettings",
                type: "integer",
                nullable: false,
                defaultValue: 5);

            migrationBuilder.AddColumn<DateTime>(
                name: "PromotionalConsentAtUtc",
                table: "Clients",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PromotionalConsentSource",
                table: "Clients",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PromotionalOptOutAtUtc",
                table: "Clients",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PromotionalOptOutVia",
                table: "Clients",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BulkSends",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IdempotencyKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AudienceKind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AudienceJson = table.Column<string>(type: "character varying(40000)", maxLength: 40000, nullable: false),
                    AudienceDescription = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    TemplateId = table.Column<int>(type: "integer", nullable: true),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Body = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    State = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ScheduledForUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    StartsAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CancelledAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CancelledByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    PausedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    LastReleaseAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RecipientCount = table.Column<int>(type: "integer", nullable: false),
                    ExcludedCount = table.Column<int>(type: "integer", nullable: false),
                    ClaimedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeaseExpiresAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BulkSends", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BulkSends_MessageTemplates_TemplateId",
                        column: x => x.TemplateId,
                        principalTable: "MessageTemplates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "BulkRecipients",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BulkSendId = table.Column<long>(type: "bigint", nullable: false),
                    ClientId = table.Column<int>(type: "integer", nullable: true),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    ProcessedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    OutboundMessageId = table.Column<long>(type: "bigint", nullable: true),
                    ConversationId = table.Column<int>(type: "integer", nullable: true),
                    PortalInviteId = table.Column<long>(type: "bigint", nullable: true),
                    UnsubscribeTokenHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: true),
                    UnsubscribeExpiresAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UnsubscribedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BulkRecipients", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BulkRecipients_BulkSends_BulkSendId",
                        column: x => x.BulkSendId,
                        principalTable: "BulkSends",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_BulkRecipients_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_BulkRecipients_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_BulkRecipients_OutboundMessages_OutboundMessageId",
                        column: x => x.OutboundMessageId,
                        principalTable: "OutboundMessages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_BulkRecipients_PortalInvites_PortalInviteId",
                        column: x => x.PortalInviteId,
                        principalTable: "PortalInvites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BulkRecipients_BulkSendId_Address",
                table: "BulkRecipients",
                columns: new[] { "BulkSendId", "Address" },
                unique: true,
                filter: "\"Address\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_BulkRecipients_BulkSendId_ClientId",
                table: "BulkRecipients",
                columns: new[] { "BulkSendId", "ClientId" },
                unique: true,
                filter: "\"ClientId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_BulkRecipients_BulkSendId_Status_Position",
                table: "BulkRecipients",
                columns: new[] { "BulkSendId", "Status", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_BulkRecipients_ClientId_ProcessedAtUtc",
                table: "BulkRecipients",
                columns: new[] { "ClientId", "ProcessedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_BulkRecipients_ConversationId",
                table: "BulkRecipients",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_BulkRecipients_OutboundMessageId",
                table: "BulkRecipients",
                column: "OutboundMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_BulkRecipients_PortalInviteId",
                table: "BulkRecipients",
                column: "PortalInviteId");

            migrationBuilder.CreateIndex(
                name: "IX_BulkRecipients_UnsubscribeTokenHash",
                table: "BulkRecipients",
                column: "UnsubscribeTokenHash",
                unique: true,
                filter: "\"UnsubscribeTokenHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_BulkSends_CreatedAtUtc",
                table: "BulkSends",
                column: "CreatedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_BulkSends_IdempotencyKey",
                table: "BulkSends",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BulkSends_State_StartsAtUtc",
                table: "BulkSends",
                columns: new[] { "State", "StartsAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_BulkSends_TemplateId",
                table: "BulkSends",
                column: "TemplateId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BulkRecipients");

            migrationBuilder.DropTable(
                name: "BulkSends");

            migrationBuilder.DropColumn(
                name: "ListUnsubscribeUrl",
                table: "OutboxEmails");

            migrationBuilder.DropColumn(
                name: "BulkRecentDays",
                table: "ClinicSettings");

            migrationBuilder.DropColumn(
                name: "BulkUndoMinutes",
                table: "ClinicSettings");

            migrationBuilder.DropColumn(
                name: "PromotionalConsentAtUtc",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "PromotionalConsentSource",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "PromotionalOptOutAtUtc",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "PromotionalOptOutVia",
                table: "Clients");
        }
    }
}
