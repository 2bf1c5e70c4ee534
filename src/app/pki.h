// The province's certificate authority as a use case: the hierarchy is created once (a root CA and
// an issuing CA), then the issuing CA certifies officials (personal) and agencies (organisation
// seal) and revokes them. Every certificate is an event (CertificateIssued / CertificateRevoked on
// stream certificate/<serial>, projected to the catalogue kind "certificate"); every private key
// is a private record (kind "signing_key"), sealed under the server's key-encryption key (the key
// file given in configuration, never in the repository or the database) with the serial as
// context. Signing goes through sign::KeySigner, so a hardware module or a remote signing service
// can replace the local key store without touching the callers.
// Thread-safety: thread-safe (the store serialises writes; state lives in the store).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/access.h"
#include "app/actor.h"
#include "base/error.h"
#include "base/time.h"
#include "secure/secretbox.h"
#include "sign/pades.h"
#include "sign/pki.h"
#include "sign/verify.h"
#include "store/store.h"

namespace motcua::app {

// One certificate as the registry knows it.
struct CertificateRecord {
  std::string serial;  // upper-case hex
  sign::CertKind kind = sign::CertKind::kPersonal;
  std::string holder;  // "officer:<account id>", "unit:<code>", or "ca" for the authorities
  std::string unit;    // the unit it serves
  std::string algorithm;
  sign::Subject subject;
  std::string issuer_serial;  // "" for the root
  Timestamp not_before;
  Timestamp not_after;
  std::string der;
  std::optional<sign::Revocation> revoked;

  bool UsableAt(Timestamp t) const {
    return not_before <= t && t < not_after && (!revoked || t < revoked->at);
  }
  boost::json::object ToJson() const;  // the certificate as PEM
  static Result<CertificateRecord> FromJson(const boost::json::object& o);
};

// The catalogue document after a certificate event (for the live projection, rebuild and verify).
// Errors: projection.bad_event (kDataLoss).
Result<std::string> ApplyCertificateEvent(const std::optional<std::string>& doc, const Event& e);

struct PkiOptions {
  sign::KeyAlgorithm algorithm = sign::KeyAlgorithm::kRsa2048;
  std::string authority_name = "motcua";  // the CAs' names start with it
  std::string province;                   // ST of every certificate
  std::string crl_url;                    // written into certificates (optional)
  int ca_years = 20;
};

struct IssueRequest {
  sign::CertKind kind = sign::CertKind::kPersonal;
  std::string holder;      // "officer:<account id>" or "unit:<code>"
  std::string position;    // personal: the official's position ("Chủ tịch")
  std::string identifier;  // organisation: "MST:…" or "MNS:…"
  int years = 2;           // 1..5
};

// A key ready to sign for a holder, with the certificate it signs under.
struct SigningKey {
  std::unique_ptr<sign::KeySigner> signer;
  CertificateRecord certificate;
};

class Pki {
 public:
  Pki(store::Store& store, const Access& access, const Clock& clock, const secure::SecretKey& kek,
      PkiOptions options)
      : store_(store), access_(access), clock_(clock), kek_(kek), options_(std::move(options)) {}

  // Creates the root and issuing CAs. Checked as "certificate.manage" (the system actor passes).
  // Error pki.already_initialised (kAlreadyExists).
  Result<std::vector<CertificateRecord>> Init(const Actor& actor);
  // Checked as "certificate.manage" on the holder's unit. Errors: pki.not_initialised,
  // pki.bad_holder (kInvalidArgument: unknown officer or unit, or the kind does not fit the
  // holder), pki.bad_params.
  Result<CertificateRecord> Issue(const Actor& actor, const IssueRequest& request);
  // Errors: pki.not_found, pki.already_revoked, pki.reason_required.
  Result<CertificateRecord> Revoke(const Actor& actor, const std::string& serial,
                                   const std::string& reason, bool key_compromise);
  // Checked as "certificate.read" (administrators); holder "" = all.
  Result<std::vector<CertificateRecord>> List(const Actor& actor, const std::string& holder);

  // Public: the CA certificates (root first) and the current CRL (DER, signed by the issuing CA,
  // valid 7 days). Error pki.not_initialised.
  Result<std::vector<CertificateRecord>> Authorities() const;
  Result<std::string> Crl() const;
  // Roots, intermediates and the registry's revocations, for verification.
  Result<sign::TrustAnchors> Anchors() const;
  Result<std::optional<CertificateRecord>> Find(const std::string& serial) const;

  // The newest certificate of `holder` usable now, with its key unsealed. Errors:
  // pki.no_certificate (kFailedPrecondition: the holder never had one), pki.certificate_revoked,
  // pki.certificate_expired (kFailedPrecondition: it had some, none usable now).
  Result<SigningKey> KeyFor(const std::string& holder) const;

 private:
  Result<CertificateRecord> IssueInTx(store::Tx& tx, const Actor& actor, sign::CertKind kind,
                                      sign::Subject subject, const std::string& holder,
                                      const std::string& unit, int64_t days,
                                      const CertificateRecord* issuer);
  Result<std::string> UnsealKey(const std::string& serial) const;
  Result<std::string> OpenKey(const std::optional<store::SecretRow>& row,
                              const std::string& serial) const;

  store::Store& store_;
  const Access& access_;
  const Clock& clock_;
  const secure::SecretKey& kek_;
  PkiOptions options_;
};

}  // namespace motcua::app
