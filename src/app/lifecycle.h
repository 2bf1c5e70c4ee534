// Use cases of the dossier lifecycle: one function per action. Each validates input, resolves
// units and the deadline schedule, runs the domain command and appends its events with their
// projection updates atomically (Store::Write; durable before returning). Every function takes
// the acting Actor explicitly and checks it against the permission table (app/access.h) before
// the domain's finer rules run; a change made for a request is audited in the same transaction,
// a refused or failed one in a write of its own (app/audit.h). A citizen asking for a dossier
// that is not theirs is told it does not exist (dossier.not_found), never that it is forbidden. The *InTx variants run inside a caller's transaction so that a
// batch (the demo generator) drives exactly the same code. Thread-safety: thread-safe; the
// catalogue is immutable and the store serialises writes.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/access.h"
#include "app/actor.h"
#include "app/audit.h"
#include "app/catalog.h"
#include "base/time.h"
#include "domain/dossier.h"
#include "store/store.h"

namespace motcua::app {

struct SubmitRequest {
  std::string procedure_code;
  domain::Channel channel = domain::Channel::kOnline;
  domain::Applicant applicant;
  std::string assisted_by;
  std::string receiving_unit;
  // Commune-level procedures: the commune whose People's Committee decides (usually the
  // applicant's). Province-level procedures resolve the competent agency from the catalogue.
  std::string competent_unit;
  std::vector<domain::ComponentRecord> components;
  std::vector<std::string> fee_conditions;
  std::map<std::string, int64_t> fee_quantities;  // per-unit fees ("page" → 12)
  std::string exemption;                          // a ground of the procedure's exemptions
  // Counter intake: the officer receives at once (submit + receive in one transaction).
  bool receive_now = false;
  std::vector<std::string> digitised;
  // Counter intake: the officer took the fees due in cash (recorded before the receipt, with a
  // receipt number from data/codes.json "receipt").
  bool paid_cash = false;
};

struct DossierView {
  domain::Dossier dossier;
  domain::OverdueInfo overdue;
};

// Work that goes with completing a step and must commit with it (the electronic result's
// signatures, app/documents.h). Called outside the write transaction, before the step's command,
// with the dossier as loaded; the events it returns are appended after the step's own events,
// in the same transaction, if the dossier has not changed in between (else dossier.changed,
// kAborted: retry).
class ResultIssuer {
 public:
  virtual ~ResultIssuer() = default;
  virtual Result<std::vector<NewEvent>> BeforeStepCompletion(const Actor& actor,
                                                             const domain::Dossier& d) = 0;
};

class Lifecycle {
 public:
  Lifecycle(store::Store& store, std::shared_ptr<const Catalog> catalog, const Clock& clock);

  Result<domain::Dossier> Submit(const Actor& actor, const SubmitRequest& req);
  Result<domain::Dossier> Receive(const Actor& actor, const std::string& code,
                                  const std::vector<std::string>& digitised);
  Result<domain::Dossier> Refuse(const Actor& actor, const std::string& code,
                                 const std::string& reason);
  Result<domain::Dossier> CompleteStep(const Actor& actor, const std::string& code,
                                       const std::string& note);
  Result<domain::Dossier> Transfer(const Actor& actor, const std::string& code,
                                   const std::string& to_unit, bool competent,
                                   const std::string& reason);
  Result<domain::Dossier> RequestConsultation(const Actor& actor, const std::string& code,
                                              const std::string& unit, const std::string& question);
  Result<domain::Dossier> AnswerConsultation(const Actor& actor, const std::string& code,
                                             const std::string& answer);
  Result<domain::Dossier> RequestSupplement(const Actor& actor, const std::string& code,
                                            const std::string& reason,
                                            const std::vector<std::string>& items);
  Result<domain::Dossier> ProvideSupplement(const Actor& actor, const std::string& code,
                                            const std::vector<domain::ComponentRecord>& comps);
  Result<domain::Dossier> IssueApology(const Actor& actor, const std::string& code,
                                       Timestamp new_due, const std::string& reason);
  Result<domain::Dossier> Return(const Actor& actor, const std::string& code,
                                 const std::string& return_channel);
  Result<domain::Dossier> Withdraw(const Actor& actor, const std::string& code,
                                   const std::string& reason);
  Result<domain::Dossier> Cancel(const Actor& actor, const std::string& code,
                                 const std::string& reason);
  Result<domain::Dossier> Rate(const Actor& actor, const std::string& code,
                               domain::Rating rating, const std::string& comment);

  // Transaction-scoped forms (same validation and events).
  Result<domain::Dossier> SubmitInTx(store::Tx& tx, const Actor& actor, const SubmitRequest& req);
  // Runs a domain command on one dossier inside tx: load, decide, append, project.
  using Command =
      std::function<Result<std::vector<NewEvent>>(const domain::Dossier&, const domain::Context&)>;
  // `action` names the permission-table row ("dossier.receive"…).
  Result<domain::Dossier> ActInTx(store::Tx& tx, const Actor& actor, std::string_view action,
                                  const std::string& code, const Command& command);

  // ActInTx in a write of its own; a refused or failed attempt is audited (Rejected).
  Result<domain::Dossier> Act(const Actor& actor, std::string_view action, const std::string& code,
                              const Command& command);

  // Reads, checked as "dossier.read" / "dossier.search". List narrows q to the actor's scope.
  Result<DossierView> Get(const Actor& actor, const std::string& code);
  Result<std::vector<Event>> History(const Actor& actor, const std::string& code);
  struct Page {
    std::vector<store::DossierRow> rows;
    int64_t total = 0;
  };
  Result<Page> List(const Actor& actor, store::DossierQuery q, bool with_total);
  domain::OverdueInfo OverdueOf(const domain::Dossier& d) const;

  // Set once at start-up, before requests (not thread-safe against concurrent actions).
  void SetResultIssuer(ResultIssuer* issuer) { result_issuer_ = issuer; }

  // Records a rejected attempt (audited actors only); returns `why` for chaining.
  Error Rejected(const Actor& actor, std::string_view action, const std::string& target,
                 const std::string& unit, Error why);

  const Catalog& catalog() const { return *catalog_; }
  const Clock& clock() const { return clock_; }
  const Access& access() const { return access_; }
  store::Store& store() { return store_; }

 private:
  domain::Context ContextFor(const Actor& actor, const std::string& schedule) const;
  // Appends and projects; widens [first_seq, last_seq] to cover the appended events.
  Result<void> AppendAll(store::Tx& tx, std::vector<NewEvent> events, domain::Dossier* state,
                         int64_t* first_seq, int64_t* last_seq);
  Result<domain::Dossier> Load(const Actor& actor, std::string_view action,
                               const std::string& code);

  store::Store& store_;
  std::shared_ptr<const Catalog> catalog_;
  const Clock& clock_;
  Access access_;
  ResultIssuer* result_issuer_ = nullptr;
};

// Appends the catalogue (units and procedures) as UnitRegistered / ProcedurePublished events.
// Units or procedures already registered with the same content are skipped, so re-running is
// harmless. Returns the number of events appended.
Result<int64_t> ImportCatalog(store::Store& store, const Catalog& catalog, Timestamp now);

}  // namespace motcua::app
