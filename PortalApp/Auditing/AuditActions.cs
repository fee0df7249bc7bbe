namespace PortalApp.Auditing;

/// <summary>
/// The audit log's one vocabulary: every writer passes one of these constants to <see cref="AuditLog"/>, which refuses
/// any other string, so the Audit page's filter and the CSV export can find every row the app writes.
/// </summary>
public static class AuditActions
{
    public const string SignIn = "staff.sign-in";
    public const string SignOut = "staff.sign-out";
    public const string AccountLocked = "staff.account-locked";
    public const string AccountUnlockedByLink = "staff.unlock-by-link";
    public const string StaffInvite = "staff.invite";
    public const string StaffInviteAccepted = "staff.invite-accepted";
    public const string StaffRolesChange = "staff.roles-change";
    public const string StaffPractitionerLink = "staff.practitioner-link";
    public const string StaffDisable = "staff.disable";
    public const string StaffEnable = "staff.enable";
    public const string StaffUnlock = "staff.unlock";
    public const string StaffPasswordResetLink = "staff.password-reset-link";
    public const string StaffPasswordSet = "staff.password-set";
    public const string StaffPasswordChange = "staff.password-change";
    public const string StaffTwoFactorEnable = "staff.two-factor-enable";
    public const string StaffTwoFactorDisable = "staff.two-factor-disable";
    public const string StaffTwoFactorReset = "staff.two-factor-reset";
    public const string StaffRecoveryCodes = "staff.recovery-codes";
    public const string StaffCreate = "staff.create";
    public const string ClientView = "client.view";
    public const string ClientEdit = "client.edit";
    public const string ClientCreate = "client.create";
    public const string ClientEndDate = "client.end-date";
    public const string ClientMerge = "client.merge";
    public const string AppointmentBook = "appointment.book";
    public const string AppointmentReschedule = "appointment.reschedule";
    public const string AppointmentEdit = "appointment.edit";
    public const string AppointmentCancel = "appointment.cancel";
    public const string AppointmentStatusChange = "appointment.status";
    public const string ScheduleView = "schedule.view";
    public const string PractitionerSave = "practitioner.save";
    public const string AppointmentTypeSave = "appointment-type.save";
    public const string ImportRun = "import.run";
    public const string ExportRun = "export.run";
    public const string ChartNoteView = "chart-note.view";
    public const string ChartNoteSave = "chart-note.save";
    public const string ConversationView = "conversation.view";
    public const string MessageSend = "message.send";
    public const string PortalReply = "message.patient-reply";
    public const string EmailRetry = "email.retry";
    public const string EmailTest = "email.test";
    public const string ClinicSettingsEdit = "clinic-settings.edit";
    public const string TemplateSave = "template.save";
    public const string TemplateDelete = "template.delete";
    public const string TemplateDefault = "template.default";
    public const string TemplateTest = "template.test";
    public const string InviteSend = "invite.send";
    public const string InviteResend = "invite.resend";
    public const string InviteRevoke = "invite.revoke";
    public const string InviteCancel = "invite.cancel";
    public const string PatientSignIn = "patient.sign-in";
    public const string PatientRegister = "patient.register";
    public const string PatientIdentityCheck = "patient.identity-check";
    public const string PatientPasswordResetRequest = "patient.password-reset-request";
    public const string PatientPasswordReset = "patient.password-reset";
    public const string CaregiverInviteSend = "caregiver.invite-send";
    public const string CaregiverInviteResend = "caregiver.invite-resend";
    public const string CaregiverInviteRevoke = "caregiver.invite-revoke";
    public const string CaregiverAccessEnd = "caregiver.access-end";
    public const string CaregiverRegister = "caregiver.register";
    public const string CaregiverIdentityCheck = "caregiver.identity-check";
    public const string IntakeFormAnswersSave = "intake-form.answers-save";
    public const string IntakeFormSubmit = "intake-form.submit";
    public const string IntakeFormFillRefused = "intake-form.fill-refused";
    public const string AuditExport = "audit.export";
    public const string BackupMade = "backup.made";
    public const string FormResponseView = "form-response.view";
    public const string FormResponseReview = "form-response.review";
    public const string FormResponseDownload = "form-response.download";
    public const string IntakeFormCreate = "intake-form.create";
    public const string IntakeFormSaveDraft = "intake-form.save-draft";
    public const string IntakeFormPublish = "intake-form.publish";
    public const string IntakeFormArchive = "intake-form.archive";
    public const string IntakeFormSend = "intake-form.send";
    public const string IntakeFormSendRefused = "intake-form.send-refused";
    public const string IntakeFormRuleSave = "intake-form-rule.save";
    public const string IntakeFormWithdraw = "intake-form.withdraw";
    public const string IntakeFormReminder = "intake-form.reminder";
    public const string IntakeFormImport = "intake-form.import";
    public const string IntakeFormExport = "intake-form.export";
    public const string AppointmentConfirm = "appointment.confirm";
    public const string ClientTextOptOut = "client.text-opt-out";
    public const string ClientTextOptIn = "client.text-opt-in";
    public const string ReplyReview = "reply.review";
    public const string RepliesView = "replies.view";
    public const string ReminderSettingsEdit = "reminder-settings.edit";
    public const string ClientReminderPreferences = "client.reminder-preferences";
    public const string BulkSend = "bulk.send";
    public const string BulkUndo = "bulk.undo";
    public const string BulkPause = "bulk.pause";
    public const string BulkResume = "bulk.resume";
    public const string BulkCancel = "bulk.cancel";
    public const string BulkReportExport = "bulk.report-export";
    public const string BulkTest = "bulk.test";
    public const string PromotionalUnsubscribe = "client.promotional-unsubscribe";
    public const string PromotionalConsent = "client.promotional-consent";

    /// <summary>Each action with the name the Audit page shows for it, in the order its filter lists them.</summary>
    private static readonly (string Action, string Label)[] Vocabulary =
    [
        (SignIn, "Staff sign-in"),
        (SignOut, "Staff sign-out"),
        (AccountLocked, "Staff account locked after failed sign-ins"),
        (AccountUnlockedByLink, "Staff account unlocked by its emailed link"),
        (StaffInvite, "Staff member invited"),
        (StaffInviteAccepted, "Staff invite accepted"),
        (StaffRolesChange, "Staff roles changed"),
        (StaffPractitionerLink, "Staff practitioner record linked"),
        (StaffDisable, "Staff account disabled"),
        (StaffEnable, "Staff account re-enabled"),
        (StaffUnlock, "Staff account unlocked by an admin"),
        (StaffPasswordResetLink, "Staff password-reset link sent"),
        (StaffPasswordSet, "Staff password set from a link or the command line"),
        (StaffPasswordChange, "Staff password changed by its owner"),
        (StaffTwoFactorEnable, "Staff two-factor turned on"),
        (StaffTwoFactorDisable, "Staff two-factor turned off"),
        (StaffTwoFactorReset, "Staff two-factor reset by an admin"),
        (StaffRecoveryCodes, "Staff recovery codes renewed"),
        (StaffCreate, "Admin created on the command line"),
        (ClientView, "Client card viewed"),
        (ClientEdit, "Client details changed"),
        (ClientCreate, "Client card created"),
        (ClientEndDate, "Client end date set or removed"),
        (ClientMerge, "Client cards merged"),
        (AppointmentBook, "Appointment booked"),
        (AppointmentReschedule, "Appointment rescheduled"),
        (AppointmentEdit, "Appointment details changed"),
        (AppointmentCancel, "Appointment cancelled"),
        (AppointmentStatusChange, "Appointment marked arrived, completed or no-show"),
        (ScheduleView, "Schedule viewed"),
        (PractitionerSave, "Practitioner saved"),
        (AppointmentTypeSave, "Appointment type saved"),
        (ImportRun, "CSV import run"),
        (ExportRun, "CSV export downloaded"),
        (ChartNoteView, "Chart note viewed"),
        (ChartNoteSave, "Chart note saved"),
        (ConversationView, "Conversation viewed by staff"),
        (MessageSend, "Message sent to the portal"),
        (PortalReply, "Reply from the portal"),
        (EmailRetry, "Email retried"),
        (EmailTest, "Test email sent"),
        (ClinicSettingsEdit, "Clinic settings changed"),
        (TemplateSave, "Template saved"),
        (TemplateDelete, "Template deleted"),
        (TemplateDefault, "Default template chosen"),
        (TemplateTest, "Template test email sent"),
        (InviteSend, "Portal invite sent"),
        (InviteResend, "Portal invite re-sent"),
        (InviteRevoke, "Portal invite revoked"),
        (InviteCancel, "Portal invite cancelled (end date or new email address)"),
        (PatientSignIn, "Patient sign-in"),
        (PatientRegister, "Patient registered"),
        (PatientIdentityCheck, "Patient date-of-birth check"),
        (PatientPasswordResetRequest, "Patient asked for a password reset"),
        (PatientPasswordReset, "Patient reset their password"),
        (CaregiverInviteSend, "Caregiver invite sent"),
        (CaregiverInviteResend, "Caregiver invite re-sent"),
        (CaregiverInviteRevoke, "Caregiver invite revoked"),
        (CaregiverAccessEnd, "Caregiver access ended"),
        (CaregiverRegister, "Caregiver registered"),
        (CaregiverIdentityCheck, "Caregiver date-of-birth check"),
        (IntakeFormAnswersSave, "Intake form answers saved in the portal"),
        (IntakeFormSubmit, "Intake form submitted in the portal"),
        (IntakeFormFillRefused, "Intake form refused in the portal (access ended)"),
        (AuditExport, "Audit log exported"),
        (BackupMade, "Database backup made"),
        (FormResponseView, "Intake form response viewed by staff"),
        (FormResponseReview, "Intake form response marked reviewed"),
        (FormResponseDownload, "Intake form response downloaded (PDF or FHIR)"),
        (IntakeFormCreate, "Intake form created"),
        (IntakeFormSaveDraft, "Intake form draft saved"),
        (IntakeFormPublish, "Intake form version published"),
        (IntakeFormArchive, "Intake form archived"),
        (IntakeFormSend, "Intake forms sent to a patient"),
        (IntakeFormSendRefused, "Intake forms not sent (refused)"),
        (IntakeFormRuleSave, "Intake form rule saved"),
        (IntakeFormWithdraw, "Intake form withdrawn (appointment cancelled)"),
        (IntakeFormReminder, "Intake form reminder sent"),
        (IntakeFormImport, "Intake form imported (FHIR)"),
        (IntakeFormExport, "Intake form exported (FHIR)"),
        (AppointmentConfirm, "Appointment confirmed (by the patient, or by staff for them)"),
        (ClientTextOptOut, "Client opted out of texts (STOP reply)"),
        (ClientTextOptIn, "Client opted back in to texts (START reply)"),
        (ReplyReview, "Patient reply marked reviewed"),
        (RepliesView, "Replies to review viewed"),
        (ReminderSettingsEdit, "Appointment reminder settings changed"),
        (ClientReminderPreferences, "Client's reminder channels or opt-outs changed"),
        (BulkSend, "Bulk message sent"),
        (BulkUndo, "Bulk message undone"),
        (BulkPause, "Bulk message paused"),
        (BulkResume, "Bulk message resumed"),
        (BulkCancel, "Bulk message cancelled"),
        (BulkReportExport, "Bulk message report downloaded (CSV)"),
        (BulkTest, "Bulk message test sent to its author"),
        (PromotionalUnsubscribe, "Client unsubscribed from promotional messages (by a link, one-click, or staff)"),
        (PromotionalConsent, "Client's promotional consent recorded or cleared by staff"),
    ];

    private static readonly Dictionary<string, string> Labels = Vocabulary.ToDictionary(v => v.Action, v => v.Label, StringComparer.Ordinal);

    public static readonly string[] All = [.. Vocabulary.Select(v => v.Action)];

    public static bool IsKnown(string? action) => action is not null && Labels.ContainsKey(action);

    /// <summary>The friendly name; an unknown string (from an older version's rows) is shown as it is.</summary>
    public static string Label(string action) => Labels.GetValueOrDefault(action, action);
}
