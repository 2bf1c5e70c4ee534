// The dossier (hồ sơ) and its lifecycle under the one-stop mechanism (Decree 118/2025, carrying
// forward Decrees 61/2018 and 107/2021; one-stop-rules.md): submitted → received (or refused) →
// in processing (steps, transfers, consultations) ⇄ supplement requested → result ready →
// returned; withdrawn by the applicant; cancelled (processing stopped) by the agency.
// Commands are pure functions (state, input, context) → events or an error value; the state is a
// fold of the dossier's events (Apply), so projections are rebuildable from the log.
// Thread-safety: values; functions are pure.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/event.h"
#include "base/time.h"
#include "domain/calendar/calendar.h"
#include "domain/calendar/deadline.h"
#include "domain/identity.h"
#include "domain/payment.h"
#include "domain/procedures.h"

namespace motcua::domain {

enum class DossierState {
  kSubmitted,            // 1 Mới đăng ký
  kReceived,             // 2 Được tiếp nhận
  kRefused,              // 3 Không được tiếp nhận
  kInProcessing,         // 4 Đang xử lý
  kSupplementRequested,  // 5 Yêu cầu bổ sung giấy tờ
  kWithdrawn,            // 7 Công dân yêu cầu rút hồ sơ
  kCancelled,            // 8 Dừng xử lý
  kResultReady,          // 9 Đã xử lý xong
  kReturned,             // 10 Đã trả kết quả
};
// Status 6 (Yêu cầu thực hiện nghĩa vụ tài chính) arrives with online payment (issue #7).
std::string_view StateName(DossierState s);
Result<DossierState> ParseState(std::string_view s);
// The national portal's TrangThaiHoSo code for a state (one-stop-rules.md §6).
int NationalStatusCode(DossierState s);
// Closed: no further action is possible.
bool IsClosed(DossierState s);

enum class Channel { kOnline, kCounter, kPost, kAssisted };
std::string_view ChannelName(Channel c);  // "online", "counter", "post", "assisted"
Result<Channel> ParseChannel(std::string_view s);
// KenhThucHien: 1 direct, 2 online, 3 postal. Assisted submissions are made online by a community
// digital team member on the citizen's behalf, so they are reported as online (2).
int NationalChannelCode(Channel c);

struct Applicant {
  std::string kind = "person";  // "person" or "organisation"
  IdKind id_kind = IdKind::kCitizenId;
  std::string id_number;  // normalised
  std::string name;
  std::string phone;
  std::string email;
  std::string address;
  bool identity_verified = false;  // checked against the national e-ID (VNeID) at submission
};

// A file attached to a component (uploaded through the file store, app/files.h).
struct FileRef {
  std::string id;
  std::string name;
  std::string content_type;
  int64_t size = 0;
  std::string sha256;
  bool operator==(const FileRef&) const = default;
};

boost::json::object FileRefJson(const FileRef& f);
FileRef FileRefFrom(const boost::json::object& o);

struct ComponentRecord {
  std::string code;
  std::string name;
  bool provided = false;
  bool digitised = false;   // an officer attached the scanned file at reception
  std::string reused_from;  // "" or the source: "holding:<id>" (the applicant's data store)
  std::vector<FileRef> files;  // the files that make up the component (all rounds)
  std::string doc_type;        // the procedure's document kind for it ("" = not filed)
};

// The applicant's satisfaction with the handling (766 index group 5, criterion 5.4).
enum class Rating { kVerySatisfied, kSatisfied, kUnsatisfied };
std::string_view RatingName(Rating r);  // "very_satisfied", "satisfied", "unsatisfied"
Result<Rating> ParseRating(std::string_view s);  // error dossier.bad_rating

struct RatingRecord {
  Rating value = Rating::kSatisfied;
  std::string comment;
  Timestamp at;
};

// The electronic result (Decree 45/2020 Art. 14(3)): a PDF signed by the approving leader and
// sealed by the agency, kept as "<dossier code>-KQ1" (app/documents.h issues it).
struct ResultDocument {
  std::string id;
  std::string verify_code;  // printed on the document and behind its QR code
  FileRef file;             // the signed PDF
  Timestamp issued_at;
};

struct FeeRecord {
  std::string code;
  std::string kind;
  int64_t amount = 0;  // VND
};

struct StepRecord {
  std::string code;
  std::string name;
  std::string role;
  std::string unit_kind;       // "receiving" or "competent"
  int64_t budget_minutes = 0;  // working minutes allotted; always > 0
  std::optional<Timestamp> started_at;
  std::optional<Timestamp> due_at;
  std::optional<Timestamp> completed_at;
  std::string completed_by;
  std::string unit;          // unit that handled it
  int64_t late_minutes = 0;  // working minutes past the step's due at completion
};

struct SupplementRecord {
  int round = 0;
  Timestamp requested_at;
  std::string requested_by;
  std::string reason;
  std::vector<std::string> items;
  bool before_receipt = false;  // the clock had not started (guidance at the counter/online check)
  std::optional<Timestamp> provided_at;
  int64_t paused_minutes = 0;  // working minutes the clock stood still (applicant's time)
};

struct ConsultationRecord {
  std::string unit;
  std::string question;
  std::string answer;
  Timestamp requested_at;
  std::optional<Timestamp> answered_at;
};

struct TransferRecord {
  std::string from_unit;
  std::string to_unit;
  bool competent = false;  // the competent unit changed too (e.g. reorganisation)
  std::string reason;
  Timestamp at;
};

// Phiếu xin lỗi và hẹn lại ngày trả kết quả (form 04 of Circular 03/2025): at most once.
struct ApologyRecord {
  Timestamp at;
  std::string reason;
  Timestamp old_due;
  Timestamp new_due;
  bool notice_in_time = false;  // issued at least one working day before the old due
};

struct Dossier {
  std::string code;
  std::string procedure_code;
  std::string procedure_name;
  std::string online_level;  // of the procedure on the day of submission
  TimeLimit time_limit;
  Channel channel = Channel::kOnline;
  Applicant applicant;
  std::string assisted_by;  // community digital team member for the assisted channel
  std::string receiving_unit;
  std::string competent_unit;
  std::string current_unit;
  std::string schedule = "standard";  // work schedule of the clock (competent unit's)
  DossierState state = DossierState::kSubmitted;
  DossierState resume_state = DossierState::kSubmitted;  // where a supplement returns to
  Timestamp submitted_at;
  std::optional<Timestamp> received_at;
  std::optional<Timestamp> clock_start;
  std::optional<Timestamp> due_at;
  std::optional<Timestamp> original_due_at;
  std::optional<Timestamp> finished_at;  // first terminal processing state (766 group 2)
  std::optional<Timestamp> returned_at;
  int64_t budget_minutes = 0;
  std::string appointment_rule;
  std::vector<ComponentRecord> components;
  std::vector<FeeRecord> fees;
  std::vector<StepRecord> steps;
  int current_step = -1;
  std::vector<SupplementRecord> supplements;
  std::vector<ConsultationRecord> consultations;
  std::vector<TransferRecord> transfers;
  std::optional<ApologyRecord> apology;
  std::string outcome_reason;  // refusal, withdrawal or cancellation reason
  std::string return_channel;
  std::string result_name;
  std::string result_doc_type;  // the result's kind in the applicant's data store ("" = none)
  int result_valid_months = 0;  // 0 = valid without limit
  std::optional<RatingRecord> rating;  // at most once, by the applicant, after the return
  std::optional<ResultDocument> result_document;  // the signed electronic result, if issued
  PaymentRecord payment;  // fees and charges: what is due and what was paid (domain/payment.h)
  int64_t version = 0;  // events applied

  int SupplementRounds(bool include_before_receipt) const;
  boost::json::object ToJson() const;
  static Result<Dossier> FromJson(const boost::json::object& o);
};

// Folds one event of the dossier's stream into its state. Error "dossier.bad_event" if the event
// does not belong to this dossier or is malformed (a bug or a corrupt log).
Result<void> Apply(Dossier& d, const Event& e);
// Folds a whole stream.
Result<Dossier> Replay(const std::vector<Event>& events);

// What a command needs from outside; time is passed in, never read.
struct Context {
  Timestamp now;
  std::string actor;                     // "officer:…", "citizen:…", "system"
  std::string actor_unit;                // the unit the actor acts for
  std::vector<std::string> actor_roles;  // roles held in actor_unit
  const WorkingCalendar* calendar = nullptr;
  const WorkSchedule* schedule = nullptr;  // the dossier's clock schedule
};

struct SubmitInput {
  std::string code;  // generated by the caller from CodeRule
  const Procedure* procedure = nullptr;
  Channel channel = Channel::kOnline;
  Applicant applicant;
  std::string assisted_by;
  std::string receiving_unit;
  std::string competent_unit;
  std::string schedule = "standard";
  std::vector<ComponentRecord> components;  // provided components (code, reused_from)
  std::vector<std::string> fee_conditions;  // conditions that apply (e.g. "late_registration")
  std::map<std::string, int64_t> fee_quantities;  // per-unit fees: "page" → 12
  std::string exemption;  // a ground of the procedure's exemptions (fees waived at submission)
};

// Money that arrived for a dossier, as a gateway, a bank or the counter reports it.
struct PaymentInput {
  std::string channel;   // gateway, bank_transfer, counter_cash
  bool online = false;   // paid online (766 indicator 3.6): gateway and bank transfer
  std::string platform;  // national | province (DuocThanhToanTrucTuyen 1 | 2); "" for cash
  std::string provider;  // who reports it ("gateway", the bank's BIN, "counter")
  std::string transaction_no;  // unique per provider: the idempotency key
  int64_t amount = 0;
  Timestamp paid_at;
  std::string bank_code;
  std::string bank_tran_no;
  std::string receipt_serial;  // the receipt number assigned by the caller (domain/codes.h)
};

// What recording a payment decided: "recorded" (PaymentSucceeded), "duplicate" (this
// transaction was seen before: no event), "amount_mismatch" or "not_due" (PaymentRejected: the
// money is to be refunded; the dossier's payment state is unchanged).
struct PaymentDecision {
  std::string outcome;
  std::vector<NewEvent> events;
};

struct OverdueInfo {
  bool overdue = false;
  int64_t minutes = 0;            // working minutes past due (0 if not overdue)
  int64_t remaining_minutes = 0;  // working minutes left (0 if overdue or closed)
  bool paused = false;            // waiting on the applicant
};

// Each returns the events to append (in order) or an error value. Stable error keys:
// dossier.illegal_transition (kFailedPrecondition), dossier.missing_component,
// dossier.online_not_offered, dossier.unknown_component, dossier.not_holder
// (kPermissionDenied), dossier.wrong_role (kPermissionDenied), dossier.apology_already_issued,
// dossier.bad_new_due, dossier.reason_required, dossier.supplement_already_requested.
Result<std::vector<NewEvent>> Submit(const SubmitInput& in, const Context& ctx);
Result<std::vector<NewEvent>> Receive(const Dossier& d, const std::vector<std::string>& digitised,
                                      const Procedure& p, const Context& ctx);
Result<std::vector<NewEvent>> Refuse(const Dossier& d, const std::string& reason,
                                     const Context& ctx);
Result<std::vector<NewEvent>> CompleteStep(const Dossier& d, const std::string& note,
                                           const Context& ctx);
Result<std::vector<NewEvent>> Transfer(const Dossier& d, const std::string& to_unit, bool competent,
                                       const std::string& reason, const Context& ctx);
Result<std::vector<NewEvent>> RequestConsultation(const Dossier& d, const std::string& unit,
                                                  const std::string& question, const Context& ctx);
Result<std::vector<NewEvent>> AnswerConsultation(const Dossier& d, const std::string& answer,
                                                 const Context& ctx);
Result<std::vector<NewEvent>> RequestSupplement(const Dossier& d, const std::string& reason,
                                                const std::vector<std::string>& items,
                                                const Context& ctx);
Result<std::vector<NewEvent>> ProvideSupplement(const Dossier& d,
                                                const std::vector<ComponentRecord>& components,
                                                const Context& ctx);
Result<std::vector<NewEvent>> IssueApology(const Dossier& d, Timestamp new_due,
                                           const std::string& reason, const Context& ctx);
Result<std::vector<NewEvent>> Return(const Dossier& d, const std::string& return_channel,
                                     const Context& ctx);
Result<std::vector<NewEvent>> Withdraw(const Dossier& d, const std::string& reason,
                                       const Context& ctx);
// The applicant rates the handling once the result is returned. Errors:
// dossier.illegal_transition, dossier.not_applicant (kPermissionDenied),
// dossier.already_rated (kFailedPrecondition).
Result<std::vector<NewEvent>> Rate(const Dossier& d, Rating rating, const std::string& comment,
                                   const Context& ctx);
Result<std::vector<NewEvent>> Cancel(const Dossier& d, const std::string& reason,
                                     const Context& ctx);

// Payments (domain/payment.h). Recording never fails for money that arrived: a duplicate is
// recognised by its transaction, a wrong amount or a payment nobody asked for is recorded as
// rejected. Error dossier.bad_payment (kInvalidArgument) for an empty transaction number or an
// amount <= 0.
Result<PaymentDecision> RecordPayment(const Dossier& d, const PaymentInput& in, const Context& ctx);
// A failed or cancelled gateway attempt (informational; idempotent: nothing if seen before).
Result<std::vector<NewEvent>> RecordFailedPayment(const Dossier& d, const std::string& provider,
                                                  const std::string& transaction_no,
                                                  const std::string& response_code,
                                                  const Context& ctx);
// An officer waives the fees on one of the procedure's exemption grounds. Errors:
// dossier.payment_not_due (kFailedPrecondition), fee.unknown_exemption, dossier.reason_required.
Result<std::vector<NewEvent>> WaiveFees(const Dossier& d, const Procedure& p,
                                        const std::string& exemption, const std::string& reason,
                                        const Context& ctx);
// An officer refunds what was paid (the dossier was refused, withdrawn or stopped, or paid by
// mistake). Errors: dossier.not_paid (kFailedPrecondition), dossier.reason_required.
Result<std::vector<NewEvent>> RefundPayment(const Dossier& d, const std::string& reason,
                                            const Context& ctx);

// Derived, never stored: is the dossier overdue at `now`, and by how much.
OverdueInfo Overdue(const Dossier& d, Timestamp now, const WorkingCalendar& cal,
                    const WorkSchedule& schedule);

std::string DossierStream(std::string_view code);  // "dossier/<code>"

}  // namespace motcua::domain
