// qpdf behind one function for this folder: open a PDF held in memory, strictly (no recovery of
// a damaged cross-reference table, warnings off). Internal to src/sign.
#pragma once

#include <memory>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace motcua::sign::detail {

// `bytes` must outlive the returned document (qpdf reads it in place). Errors: pdf.not_pdf
// (kInvalidArgument: no %PDF- header), pdf.damaged (kInvalidArgument: qpdf refuses it; the detail
// holds qpdf's message), pdf.unsupported (encrypted).
Result<std::shared_ptr<QPDF>> OpenPdf(std::string_view bytes);

// The signature fields of a document in field order: the terminal fields whose /FT is /Sig, with
// the object handle of the field (its /V is the signature dictionary, possibly null).
std::vector<QPDFObjectHandle> SignatureFieldObjects(QPDF& pdf);

}  // namespace motcua::sign::detail
