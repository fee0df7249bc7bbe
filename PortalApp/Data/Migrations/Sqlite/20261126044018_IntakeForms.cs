using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PortalApp.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IntakeForms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "IntakeForms",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    DraftJson = table.Column<string>(type: "TEXT", nullable: true),
                    DraftUpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DraftUpdatedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ArchivedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    StarterKey = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntakeForms", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "FormRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IntakeFormId = table.Column<int>(type: "INTEGER", nullable: false),
                    AppointmentTypeId = table.Column<int>(type: "INTEGER", nullable: false),
                    DaysBefore = table.Column<int>(type: "INTEGER", nullable: false),
                    SkipIfCompletedWithinMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FormRules", x => x.Id);
                    table.CheckConstraint("CK_FormRules_DaysBefore", "\"DaysBefore\" >= 0 AND \"DaysBefore\" <= 60");
                    table.CheckConstraint("CK_FormRules_SkipMonths", "\"SkipIfCompletedWithinMonths\" >= 0 AND \"SkipIfCompletedWithinMonths\" <= 60");
                    table.ForeignKey(
                        name: "FK_FormRules_AppointmentTypes_AppointmentTypeId",
                        column: x => x.AppointmentTypeId,
                        principalTable: "AppointmentTypes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FormRules_IntakeForms_IntakeFormId",
                        column: x => x.IntakeFormId,
                        principalTable: "IntakeForms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "IntakeFormVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IntakeFormId = table.Column<int>(type: "INTEGER", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DefinitionJson = table.Column<string>(type: "TEXT", nullable: false),
                    DefinitionSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PublishedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PublishedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntakeFormVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IntakeFormVersions_IntakeForms_IntakeFormId",
                        column: x => x.IntakeFormId,
                        principalTable: "IntakeForms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FormAssignments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ClientId = table.Column<int>(type: "INTEGER", nullable: false),
                    IntakeFormId = table.Column<int>(type: "INTEGER", nullable: false),
                    IntakeFormVersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    AppointmentId = table.Column<int>(type: "INTEGER", nullable: true),
                    FormRuleId = table.Column<int>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DueAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SentAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SentByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ConversationId = table.Column<int>(type: "INTEGER", nullable: true),
                    DraftAnswersJson = table.Column<string>(type: "TEXT", nullable: true),
                    DraftSavedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DraftSavedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    SubmittedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FormResponseId = table.Column<int>(type: "INTEGER", nullable: true),
                    NextReminderAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LeaseExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FormAssignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FormAssignments_Appointments_AppointmentId",
                        column: x => x.AppointmentId,
                        principalTable: "Appointments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FormAssignments_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FormAssignments_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_FormAssignments_FormRules_FormRuleId",
                        column: x => x.FormRuleId,
                        principalTable: "FormRules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FormAssignments_IntakeFormVersions_IntakeFormVersionId",
                        column: x => x.IntakeFormVersionId,
                        principalTable: "IntakeFormVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FormAssignments_IntakeForms_IntakeFormId",
                        column: x => x.IntakeFormId,
                        principalTable: "IntakeForms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FormAttachments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FormAssignmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    LinkId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Bytes = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UploadedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FormAttachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FormAttachments_FormAssignments_FormAssignmentId",
                        column: x => x.FormAssignmentId,
                        principalTable: "FormAssignments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FormResponses",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FormAssignmentId = table.Column<int>(type: "INTEGER", nullable: true),
                    ClientId = table.Column<int>(type: "INTEGER", nullable: false),
                    IntakeFormId = table.Column<int>(type: "INTEGER", nullable: false),
                    IntakeFormVersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    AnswersJson = table.Column<string>(type: "TEXT", nullable: false),
                    Score = table.Column<decimal>(type: "TEXT", precision: 9, scale: 2, nullable: true),
                    SubmittedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FilledByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    FilledByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    FilledForClientName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    PdfBytes = table.Column<byte[]>(type: "BLOB", nullable: true),
                    PdfSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ReviewedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReviewedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FormResponses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FormResponses_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FormResponses_FormAssignments_FormAssignmentId",
                        column: x => x.FormAssignmentId,
                        principalTable: "FormAssignments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FormResponses_IntakeFormVersions_IntakeFormVersionId",
                        column: x => x.IntakeFormVersionId,
                        principalTable: "IntakeFormVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FormResponses_IntakeForms_IntakeFormId",
                        column: x => x.IntakeFormId,
                        principalTable: "IntakeForms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FormAssignments_AppointmentId",
                table: "FormAssignments",
                column: "AppointmentId");

            migrationBuilder.CreateIndex(
                name: "IX_FormAssignments_ClientId_Status",
                table: "FormAssignments",
                columns: new[] { "ClientId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_FormAssignments_ConversationId",
                table: "FormAssignments",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_FormAssignments_FormResponseId",
                table: "FormAssignments",
                column: "FormResponseId");

            migrationBuilder.CreateIndex(
                name: "IX_FormAssignments_FormRuleId",
                table: "FormAssignments",
                column: "FormRuleId");

            migrationBuilder.CreateIndex(
                name: "IX_FormAssignments_IntakeFormId",
                table: "FormAssignments",
                column: "IntakeFormId");

            migrationBuilder.CreateIndex(
                name: "IX_FormAssignments_IntakeFormVersionId",
                table: "FormAssignments",
                column: "IntakeFormVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_FormAssignments_Status_NextReminderAtUtc",
                table: "FormAssignments",
                columns: new[] { "Status", "NextReminderAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_FormAttachments_FormAssignmentId_LinkId",
                table: "FormAttachments",
                columns: new[] { "FormAssignmentId", "LinkId" });

            migrationBuilder.CreateIndex(
                name: "IX_FormResponses_ClientId_IntakeFormId_SubmittedAtUtc",
                table: "FormResponses",
                columns: new[] { "ClientId", "IntakeFormId", "SubmittedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_FormResponses_FormAssignmentId",
                table: "FormResponses",
                column: "FormAssignmentId",
                unique: true,
                filter: "\"FormAssignmentId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_FormResponses_IntakeFormId",
                table: "FormResponses",
                column: "IntakeFormId");

            migrationBuilder.CreateIndex(
                name: "IX_FormResponses_IntakeFormVersionId",
                table: "FormResponses",
                column: "IntakeFormVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_FormResponses_ReviewedAtUtc_SubmittedAtUtc",
                table: "FormResponses",
                columns: new[] { "ReviewedAtUtc", "SubmittedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_FormRules_AppointmentTypeId_IsActive",
                table: "FormRules",
                columns: new[] { "AppointmentTypeId", "IsActive" });

            migrationBuilder.CreateIndex(
                name: "IX_FormRules_IntakeFormId",
                table: "FormRules",
                column: "IntakeFormId");

            migrationBuilder.CreateIndex(
                name: "IX_IntakeForms_StarterKey",
                table: "IntakeForms",
                column: "StarterKey",
                unique: true,
                filter: "\"StarterKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_IntakeFormVersions_IntakeFormId_Number",
                table: "IntakeFormVersions",
                columns: new[] { "IntakeFormId", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FormAttachments");

            migrationBuilder.DropTable(
                name: "FormResponses");

            migrationBuilder.DropTable(
                name: "FormAssignments");

            migrationBuilder.DropTable(
                name: "FormRules");

            migrationBuilder.DropTable(
                name: "IntakeFormVersions");

            migrationBuilder.DropTable(
                name: "IntakeForms");
        }
    }
}
