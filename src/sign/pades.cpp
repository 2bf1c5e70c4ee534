#include "sign/pades.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <set>

#include "sign/detail/ossl.h"
#include "sign/detail/pdf.h"

namespace motcua::sign {
namespace detail {

Result<std::shared_ptr<QPDF>> OpenPdf(std::string_view bytes) {
  if (!bytes.starts_with("%PDF-")) {
    return Fail(ErrorCode::kInvalidArgument, "pdf.not_pdf", "no %PDF- header");
  }
  auto pdf = std::make_shared<QPDF>();
  try {
    pdf->setSuppressWarnings(true);
    pdf->setAttemptRecovery(false);
    pdf->processMemoryFile("input.pdf", bytes.data(), bytes.size());
    if (pdf->isEncrypted())
      return Fail(ErrorCode::kInvalidArgument, "pdf.unsupported", "encrypted");
    pdf->getRoot();
    if (!pdf->getAllPages().empty()) return pdf;
    return Fail(ErrorCode::kInvalidArgument, "pdf.unsupported", "no page");
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInvalidArgument, "pdf.damaged", e.what());
  }
}

namespace {
void CollectSignatureFields(QPDFObjectHandle field, bool inherited_sig, int depth,
                            std::set<QPDFObjGen>& seen, std::vector<QPDFObjectHandle>& out) {
  if (depth > 32 || !field.isDictionary()) return;
  if (field.isIndirect() && !seen.insert(field.getObjGen()).second) return;  // a cycle
  QPDFObjectHandle ft = field.getKey("/FT");
  bool is_sig = ft.isName() ? ft.getName() == "/Sig" : inherited_sig;
  QPDFObjectHandle kids = field.getKey("/Kids");
  bool has_field_kids = false;
  if (kids.isArray()) {
    for (auto& kid : kids.getArrayAsVector()) {
      if (kid.isDictionary() && kid.hasKey("/T")) {
        has_field_kids = true;
        CollectSignatureFields(kid, is_sig, depth + 1, seen, out);
      }
    }
  }
  if (is_sig && !has_field_kids) out.push_back(field);
}
}  // namespace

std::vector<QPDFObjectHandle> SignatureFieldObjects(QPDF& pdf) {
  std::vector<QPDFObjectHandle> out;
  QPDFObjectHandle form = pdf.getRoot().getKey("/AcroForm");
  if (!form.isDictionary()) return out;
  QPDFObjectHandle fields = form.getKey("/Fields");
  if (!fields.isArray()) return out;
  std::set<QPDFObjGen> seen;
  for (auto& f : fields.getArrayAsVector()) CollectSignatureFields(f, false, 0, seen, out);
  return out;
}

}  // namespace detail

using namespace detail;

namespace {

std::string PdfDate(Timestamp t) {
  LocalDateTime l = ToVietnamLocal(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "D:%04d%02d%02d%02d%02d%02d+07'00'", l.date.year, l.date.month,
                l.date.day, l.minute_of_day / 60, l.minute_of_day % 60,
                static_cast<int>((t.us / kMicrosPerSecond) % 60));
  return buf;
}

std::string HexOf(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(2 * bytes.size());
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// The offset after the last "startxref" keyword's number, read from the tail of the file.
Result<int64_t> LastStartXref(std::string_view pdf) {
  size_t at = pdf.rfind("startxref");
  if (at == std::string_view::npos)
    return Fail(ErrorCode::kInvalidArgument, "pdf.damaged", "no startxref");
  size_t p = at + 9;
  while (p < pdf.size() && (pdf[p] == ' ' || pdf[p] == '\r' || pdf[p] == '\n')) ++p;
  int64_t offset = 0;
  auto [end, ec] = std::from_chars(pdf.data() + p, pdf.data() + pdf.size(), offset);
  if (ec != std::errc() || offset < 0 || static_cast<size_t>(offset) >= pdf.size()) {
    return Fail(ErrorCode::kInvalidArgument, "pdf.damaged", "bad startxref");
  }
  return offset;
}

// One incremental update: objects by number (their text without "n 0 obj"/"endobj").
class Update {
 public:
  void Put(int number, int generation, std::string body) {
    objects_[number] = {generation, std::move(body)};
  }
  // Appends the objects, the cross-reference section and the trailer to `out`.
  void WriteTo(std::string& out, const std::string& trailer_body, int64_t prev) const {
    std::map<int, std::pair<int, size_t>> offsets;
    for (const auto& [num, obj] : objects_) {
      offsets[num] = {obj.first, out.size()};
      out += std::to_string(num) + " " + std::to_string(obj.first) + " obj\n" + obj.second +
             "\nendobj\n";
    }
    size_t xref = out.size();
    out += "xref\n";
    for (auto it = offsets.begin(); it != offsets.end();) {
      auto run_end = it;
      int count = 0;
      while (run_end != offsets.end() && run_end->first == it->first + count) {
        ++run_end;
        ++count;
      }
      out += std::to_string(it->first) + " " + std::to_string(count) + "\n";
      for (; it != run_end; ++it) {
        char line[32];
        std::snprintf(line, sizeof line, "%010zu %05d n\r\n", it->second.second, it->second.first);
        out += line;
      }
    }
    out += "trailer\n<< " + trailer_body + " /Prev " + std::to_string(prev) + " >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
  }

 private:
  std::map<int, std::pair<int, std::string>> objects_;
};

// A new array holding `array`'s items (or none) and `item`.
QPDFObjectHandle Appended(QPDFObjectHandle array, QPDFObjectHandle item) {
  std::vector<QPDFObjectHandle> items;
  if (array.isArray()) items = array.getArrayAsVector();
  items.push_back(item);
  return QPDFObjectHandle::newArray(items);
}

constexpr std::string_view kRangeHole = "[0 0000000000 0000000000 0000000000]";

}  // namespace

Result<std::string> SignPdf(std::string_view pdf, const SignatureFields& fields,
                            KeySigner& signer) {
  auto doc = OpenPdf(pdf);
  if (!doc) return std::unexpected(doc.error());
  auto prev = LastStartXref(pdf);
  if (!prev) return std::unexpected(prev.error());
  if (!pdf.substr(static_cast<size_t>(*prev)).starts_with("xref")) {
    return Fail(ErrorCode::kInvalidArgument, "pdf.unsupported", "cross-reference stream");
  }
  try {
    QPDF& q = **doc;
    std::string field_name = fields.field_name;
    auto existing = detail::SignatureFieldObjects(q);
    if (field_name.empty()) field_name = "Signature" + std::to_string(existing.size() + 1);
    for (auto& f : existing) {
      if (f.getKey("/T").isString() && f.getKey("/T").getUTF8Value() == field_name) {
        return Fail(ErrorCode::kFailedPrecondition, "sign.field_exists", field_name);
      }
    }
    QPDFObjectHandle trailer = q.getTrailer();
    int size = trailer.getKey("/Size").getIntValueAsInt();
    QPDFObjectHandle root = q.getRoot();
    QPDFObjectHandle page = q.getAllPages().at(0);
    // Two new objects: the signature dictionary and its field (a widget on the first page).
    QPDFObjectHandle widget = q.makeIndirectObject(QPDFObjectHandle::newNull());
    const int sig_num = q.makeIndirectObject(QPDFObjectHandle::newNull()).getObjectID();
    const int widget_num = widget.getObjectID();
    size = std::max(size, std::max(sig_num, widget_num) + 1);
    Update update;

    // The signature dictionary, with fixed-width holes for /ByteRange and /Contents.
    std::string sig = "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached";
    sig += " /ByteRange " + std::string(kRangeHole);
    sig += " /Contents <" + std::string(2 * kSignatureReserve, '0') + ">";
    sig += " /M " + QPDFObjectHandle::newString(PdfDate(fields.time)).unparse();
    if (!fields.signer_name.empty()) {
      sig += " /Name " + QPDFObjectHandle::newUnicodeString(fields.signer_name).unparse();
    }
    if (!fields.reason.empty()) {
      sig += " /Reason " + QPDFObjectHandle::newUnicodeString(fields.reason).unparse();
    }
    if (!fields.location.empty()) {
      sig += " /Location " + QPDFObjectHandle::newUnicodeString(fields.location).unparse();
    }
    sig += " >>";
    update.Put(sig_num, 0, sig);
    update.Put(widget_num, 0,
               "<< /Type /Annot /Subtype /Widget /FT /Sig /T " +
                   QPDFObjectHandle::newUnicodeString(field_name).unparse() + " /V " +
                   std::to_string(sig_num) + " 0 R /F 132 /Rect [0 0 0 0] /P " + page.unparse() +
                   " >>");

    // The page lists the widget among its annotations; an indirect array is rewritten itself.
    auto add_to = [&](QPDFObjectHandle holder, const char* key) {
      QPDFObjectHandle list = holder.getKey(key);
      if (list.isIndirect() && list.isArray()) {
        update.Put(list.getObjectID(), list.getGeneration(),
                   Appended(list, widget).unparseResolved());
      } else {
        holder.replaceKey(key, Appended(list, widget));
      }
    };
    QPDFObjectHandle page_copy = page.shallowCopy();
    add_to(page_copy, "/Annots");
    update.Put(page.getObjectID(), page.getGeneration(), page_copy.unparseResolved());
    // The form lists the field and says the document holds signatures (SigFlags 3).
    QPDFObjectHandle form = root.getKey("/AcroForm");
    QPDFObjectHandle form_copy =
        form.isDictionary() ? form.shallowCopy() : QPDFObjectHandle::newDictionary();
    add_to(form_copy, "/Fields");
    form_copy.replaceKey("/SigFlags", QPDFObjectHandle::newInteger(3));
    if (form.isIndirect() && form.isDictionary()) {
      update.Put(form.getObjectID(), form.getGeneration(), form_copy.unparseResolved());
    } else {
      QPDFObjectHandle root_copy = root.shallowCopy();
      root_copy.replaceKey("/AcroForm", form_copy);
      update.Put(root.getObjectID(), root.getGeneration(), root_copy.unparseResolved());
    }

    std::string trailer_body = "/Size " + std::to_string(size) + " /Root " + root.unparse();
    for (const char* key : {"/Info", "/ID"}) {
      if (trailer.hasKey(key))
        trailer_body += std::string(" ") + key + " " + trailer.getKey(key).unparse();
    }
    std::string out(pdf);
    if (out.back() != '\n') out += '\n';
    update.WriteTo(out, trailer_body, *prev);

    // Fill the holes: the byte range around /Contents, then the CMS over those bytes.
    size_t sig_at = out.find(std::to_string(sig_num) + " 0 obj\n<< /Type /Sig", pdf.size());
    size_t range_at = out.find(kRangeHole, sig_at);
    size_t lt = out.find("/Contents <", sig_at) + 10;
    size_t gt = lt + 1 + 2 * kSignatureReserve;
    std::string range = "[0 " + std::to_string(lt) + " " + std::to_string(gt + 1) + " " +
                        std::to_string(out.size() - gt - 1) + "]";
    range.resize(kRangeHole.size(), ' ');
    out.replace(range_at, kRangeHole.size(), range);
    std::string signed_bytes = out.substr(0, lt) + out.substr(gt + 1);
    auto cms = signer.SignDigest(Sha256(signed_bytes), fields.time);
    if (!cms) return std::unexpected(cms.error());
    std::string hex = HexOf(*cms);
    if (hex.size() > 2 * kSignatureReserve) {
      return Fail(ErrorCode::kInternal, "sign.too_large", std::to_string(cms->size()) + " bytes");
    }
    out.replace(lt + 1, hex.size(), hex);
    return out;
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInvalidArgument, "pdf.damaged", e.what());
  }
}

Result<std::string> NormalisePdf(std::string_view pdf) {
  auto doc = OpenPdf(pdf);
  if (!doc) return std::unexpected(doc.error());
  try {
    for (auto& f : detail::SignatureFieldObjects(**doc)) {
      if (f.getKey("/V").isDictionary()) {
        return Fail(ErrorCode::kFailedPrecondition, "pdf.already_signed", "signed field");
      }
    }
    QPDFWriter w(**doc);
    w.setOutputMemory();
    w.setObjectStreamMode(qpdf_o_disable);
    w.write();
    std::unique_ptr<Buffer> buffer(w.getBuffer());
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInvalidArgument, "pdf.damaged", e.what());
  }
}

}  // namespace motcua::sign
