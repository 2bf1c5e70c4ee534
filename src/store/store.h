// The one storage interface: the append-only, hash-chained event log plus the projection tables
// derived from it, behind two backends (sqlite/, postgres/) that pass the same contract suite
// (store_contract_test.cpp). No SQL outside src/store/; driver errors are mapped to ErrorCode here.
//
// Writes go through Store::Write(fn): fn runs inside a transaction on the store's single writer
// thread; several callers' transactions are grouped into one commit (one fsync) with a savepoint
// each, so one caller's failure rolls back only its own work. Write returns after the commit is
// durable. Reads may run concurrently from any thread. All methods are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/event.h"
#include "base/time.h"

namespace motcua::store {

inline constexpr size_t kMaxSearchTerms = 16;

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The projection row of a dossier: indexed columns for queues and lookups, plus the full state
// document (domain JSON) from which the screens are drawn.
struct DossierRow {
  std::string code;
  std::string procedure_code;
  std::string receiving_unit;
  std::string competent_unit;
  std::string current_unit;  // unit holding the dossier now
  std::string state;         // domain state name ("in_processing"…)
  int status_code = 0;       // national portal TrangThaiHoSo 1..10
  std::string channel;
  std::string applicant_key;  // the applicant's normalised ID number (a keyed hash later)
  Timestamp submitted_at;
  std::optional<Timestamp> received_at;
  std::optional<Timestamp> due_at;
  std::optional<Timestamp> finished_at;
  int64_t version = 0;  // number of events in the dossier's stream
  std::string doc;      // JSON text of the domain state
  bool operator==(const DossierRow&) const = default;
};

// A catalogue entry (unit, procedure, …): kind + key + JSON document, versioned by events.
struct CatalogRow {
  std::string kind;
  std::string key;
  std::string doc;
  bool operator==(const CatalogRow&) const = default;
};

// A private record: secrets and credentials (password hashes, TOTP seeds, session, reset and API
// token digests) and a person's unsent drafts, which must never enter the append-only, exported
// and federated event log. Kept
// in their own table: not derived from events, so ClearProjections (rebuild) leaves them alone,
// and never included in exports. The doc is JSON text; keys of bearer secrets are their SHA-256
// digests, never the secrets themselves. expires_at (optional) lets PurgeExpiredSecrets drop
// rows that can no longer be used; reads return a row whatever its expires_at (callers compare
// it with their clock).
struct SecretRow {
  std::string kind;
  std::string key;
  std::string doc;
  std::optional<Timestamp> expires_at;
  bool operator==(const SecretRow&) const = default;
};

// A private text: the text recognised in a person's uploaded scan (OCR, app/digitise.h), with its
// per-page details and the fields read or confirmed in it. Personal data, so like SecretRow it
// never enters the append-only, exported and federated event log: its own table, not derived
// from events (ClearProjections leaves it alone), never exported. `folded` is the search key the
// caller computes (the app layer's diacritic fold of `text`); the store never folds. `doc` is
// JSON text. `owner` is the uploader's account id.
struct TextRow {
  std::string kind;
  std::string key;
  std::string owner;
  std::string text;
  std::string folded;
  std::string doc;
  bool operator==(const TextRow&) const = default;
};

// A filter over the event log for auditors (all fields optional; conditions are ANDed).
struct EventQuery {
  // Stream starts with this, literally (no wildcards). Prefixes in this file are matched as
  // UTF-8 text: one that is not valid UTF-8 (or holds NUL) matches nothing.
  std::optional<std::string> stream_prefix;
  std::optional<std::string> type;   // exact event type
  std::optional<std::string> actor;  // exact actor reference ("officer:…")
  std::optional<std::string> unit;   // exact unit code
  std::optional<Timestamp> from;     // time >= from
  std::optional<Timestamp> to;       // time < to
  int64_t after_seq = 0;             // seq > after_seq (keyset pagination)
  int limit = 100;                   // 1..10000
};

// Officers' search. Every given condition must hold. Rows come newest submission first (ties by
// code). Unit conditions match a dossier whose receiving, competent or current unit is the unit.
struct DossierQuery {
  std::optional<std::string> unit;  // matches receiving, competent or current unit
  // Scope: the dossier must touch one of these units (receiving/competent/current); set by the
  // authorisation layer for subtree scopes. Empty vector = no restriction. Any number of units
  // (they travel as one bound value, so SQLite's parameter limit does not apply).
  std::vector<std::string> any_unit;
  std::optional<std::string> state;
  std::optional<std::string> applicant_key;
  std::optional<std::string> procedure_code;
  std::optional<std::string> channel;
  std::optional<std::string> code_prefix;   // code starts with this, literally (% _ are data)
  std::optional<Timestamp> submitted_from;  // submitted_at >= this
  std::optional<Timestamp> submitted_to;    // submitted_at < this
  std::optional<Timestamp> due_before;  // open dossiers whose due_at < this
  int limit = 100;                      // negative: no limit
  int offset = 0;
};

// Operations available inside a write transaction.
class Tx {
 public:
  virtual ~Tx() = default;
  // Appends an event: assigns the next sequence number and chains its hash. The event becomes
  // visible to readers when the surrounding commit is durable.
  [[nodiscard]] virtual Result<Event> Append(NewEvent e) = 0;
  // Increments and returns a named counter (first call returns 1). Used for per-unit, per-year
  // dossier numbers. Error kAborted on a busy database.
  [[nodiscard]] virtual Result<int64_t> NextNumber(std::string_view counter) = 0;
  [[nodiscard]] virtual Result<std::optional<DossierRow>> GetDossier(std::string_view code) = 0;
  [[nodiscard]] virtual Result<void> PutDossier(const DossierRow& row) = 0;
  [[nodiscard]] virtual Result<std::optional<CatalogRow>> GetCatalog(std::string_view kind,
                                                                     std::string_view key) = 0;
  [[nodiscard]] virtual Result<void> PutCatalog(const CatalogRow& row) = 0;
  [[nodiscard]] virtual Result<std::optional<SecretRow>> GetSecret(std::string_view kind,
                                                                   std::string_view key) = 0;
  // Inserts or replaces the row (kind, key).
  [[nodiscard]] virtual Result<void> PutSecret(const SecretRow& row) = 0;
  // Removes the row; returns whether it existed.
  [[nodiscard]] virtual Result<bool> DeleteSecret(std::string_view kind, std::string_view key) = 0;
  // Removes the catalogue row (kind, key); returns whether it existed.
  [[nodiscard]] virtual Result<bool> DeleteCatalog(std::string_view kind, std::string_view key) = 0;
  [[nodiscard]] virtual Result<std::optional<TextRow>> GetText(std::string_view kind,
                                                               std::string_view key) = 0;
  // Inserts or replaces the text row (kind, key).
  [[nodiscard]] virtual Result<void> PutText(const TextRow& row) = 0;
  // Removes every projection row (dossiers, catalogue, counters) — used by rebuild. Secrets and
  // texts stay.
  [[nodiscard]] virtual Result<void> ClearProjections() = 0;
};

struct StoreStats {
  int64_t events = 0;
  int64_t dossiers = 0;
  int64_t catalog_rows = 0;
  int64_t bytes = 0;  // on-disk size of the database (file or relation sizes)
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs fn in a write transaction; commits durably if fn returns a value, rolls back its work
  // otherwise and returns fn's error. Driver failures: kAborted (retryable) or kUnavailable.
  [[nodiscard]] virtual Result<void> Write(const std::function<Result<void>(Tx&)>& fn) = 0;

  [[nodiscard]] virtual Result<std::optional<DossierRow>> GetDossier(std::string_view code) = 0;
  [[nodiscard]] virtual Result<std::vector<DossierRow>> ListDossiers(const DossierQuery& q) = 0;
  // How many rows ListDossiers would return without limit/offset.
  [[nodiscard]] virtual Result<int64_t> CountDossiers(const DossierQuery& q) = 0;
  [[nodiscard]] virtual Result<std::optional<CatalogRow>> GetCatalog(std::string_view kind,
                                                                     std::string_view key) = 0;
  [[nodiscard]] virtual Result<std::vector<CatalogRow>> ListCatalog(std::string_view kind) = 0;
  // One page of a kind's rows in key order: keys starting with key_prefix (literally) and greater
  // than after_key (keyset pagination; empty = from the first), at most `limit` (1..10000;
  // Error{kInvalidArgument, store.bad_query} otherwise).
  [[nodiscard]] virtual Result<std::vector<CatalogRow>> ListCatalogPage(std::string_view kind,
                                                                        std::string_view key_prefix,
                                                                        std::string_view after_key,
                                                                        int limit) = 0;
  // Calls fn for every dossier row in code order (for verify).
  [[nodiscard]] virtual Result<void> ForEachDossier(
      const std::function<Result<void>(const DossierRow&)>& fn) = 0;

  [[nodiscard]] virtual Result<std::optional<SecretRow>> GetSecret(std::string_view kind,
                                                                   std::string_view key) = 0;
  // Secrets of one kind whose key starts with key_prefix (literally), in key order, at most
  // `limit` (1..10000; store.bad_query otherwise).
  [[nodiscard]] virtual Result<std::vector<SecretRow>> ListSecrets(std::string_view kind,
                                                                   std::string_view key_prefix,
                                                                   int limit) = 0;
  // Deletes secrets with expires_at <= now (a write through the writer); returns how many.
  // Error store.read_only on a read-only open.
  [[nodiscard]] virtual Result<int64_t> PurgeExpiredSecrets(Timestamp now) = 0;

  [[nodiscard]] virtual Result<std::optional<TextRow>> GetText(std::string_view kind,
                                                               std::string_view key) = 0;
  // Text rows of one kind whose `folded` contains every one of `terms` (each matched literally as
  // a substring, case-sensitively: callers pass folded terms; no wildcards), with key > after_key
  // (keyset pagination; empty = from the first), in key order, at most `limit`. A term that is
  // not storable UTF-8 matches nothing. Errors store.bad_query (kInvalidArgument) when `terms` is
  // empty or holds more than kMaxSearchTerms or an empty term, or limit is outside 1..10000.
  [[nodiscard]] virtual Result<std::vector<TextRow>> SearchText(
      std::string_view kind, const std::vector<std::string>& terms, std::string_view after_key,
      int limit) = 0;

  [[nodiscard]] virtual Result<std::vector<Event>> ReadStream(std::string_view stream) = 0;
  // Events matching q in sequence order (at most q.limit). Error{kInvalidArgument,
  // store.bad_query} when q.limit is outside 1..10000.
  [[nodiscard]] virtual Result<std::vector<Event>> QueryEvents(const EventQuery& q) = 0;
  // Calls fn for each event with seq > after_seq in sequence order, stopping early on error.
  [[nodiscard]] virtual Result<void> ForEachEvent(
      int64_t after_seq, const std::function<Result<void>(const Event&)>& fn) = 0;
  [[nodiscard]] virtual Result<int64_t> HeadSeq() = 0;
  [[nodiscard]] virtual Result<StoreStats> Stats() = 0;

  // Write transactions queued for, or running in, the writer thread (a gauge for /metrics). Never
  // blocks; 0 on a read-only open.
  virtual int64_t PendingWrites() const = 0;

  // Backend name: "sqlite" or "postgres".
  virtual std::string_view Backend() const = 0;
};

// Where a store lives: a data directory (SQLite file `motcua.db` inside it) or a PostgreSQL
// connection string ("postgresql://…" or "host=… dbname=…").
struct StoreOptions {
  std::string location;
  bool create = false;  // create schema if missing (init); otherwise require an initialised store
  bool read_only = false;  // no writer (verify, export): may run beside a serving process
  // Test hook: fail the N-th commit (1-based) with kUnavailable before it is durable. 0 = never.
  int fail_commit_n = 0;
};

// Opens the backend named by the location, running pending migrations when options.create or
// when the schema is older than the code. Errors: store.not_initialised, store.unavailable,
// store.schema_too_new, store.locked (another process holds the writer lock).
[[nodiscard]] Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
bool IsPostgresLocation(std::string_view location);

// Checks the hash chain of the whole log; on success returns the number of events checked. Error
// store.chain_broken (kDataLoss) names the first bad sequence number.
[[nodiscard]] Result<int64_t> VerifyChain(Store& store);

// SHA-256 of prev_hash and the canonical event text, lowercase hex.
std::string ChainHash(std::string_view prev_hash, std::string_view canonical_text);

}  // namespace motcua::store
