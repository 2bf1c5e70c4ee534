// The audit trail: every change made through a request is followed, in the same transaction, by
// one ActionAudited event naming the actor, the unit, the client address, the action and the
// events it produced; every refused or failed attempt gets an ActionAudited event of its own
// (outcome "denied" or "failed") in a separate durable write. Audit events live in day streams
// "audit/<yyyy-mm-dd>" (Vietnam date) and go through the same hash chain as everything else, so
// `VerifyChain` covers them. Actors without a request origin (the demo generator, the system)
// are not audited. Thread-safety: thread-safe (the store serialises writes).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "base/error.h"
#include "base/event.h"
#include "base/time.h"
#include "store/store.h"

namespace motcua::app {

struct AuditRecord {
  std::string action;  // "dossier.receive", "account.create", "session.create"…
  std::string target;  // "dossier/99501-250102-0001", "account/…"
  std::string unit;    // the unit concerned ("" when none)
};

// Whether an actor's actions are audited (they came through a request or the command line).
bool Audited(const Actor& actor);

// Appends the ActionAudited event for a change that is being committed in tx; `first_seq` and
// `last_seq` are the sequence numbers of the events the change appended (0 when none).
Result<void> AuditInTx(store::Tx& tx, const Actor& actor, const AuditRecord& what, Timestamp at,
                       int64_t first_seq, int64_t last_seq);

// Records a refused (kPermissionDenied / kUnauthenticated → "denied") or failed attempt in its
// own durable write. Errors of the write itself are returned (callers log them; the original
// error is still what the client sees).
Result<void> AuditRejected(store::Store& store, const Actor& actor, const AuditRecord& what,
                           Timestamp at, const Error& why);

// The audit-trail query for auditors: ActionAudited and account events filtered as in q, and the
// chain check. (Thin: QueryEvents does the work; kept here so the HTTP layer and the command line
// share one definition of "the trail".)
Result<std::vector<Event>> QueryTrail(store::Store& store, const store::EventQuery& q);

}  // namespace motcua::app
