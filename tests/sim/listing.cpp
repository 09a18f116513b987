#include "listing.hpp"

#include "json_out.hpp"

namespace taosync::sim {

std::string Listing::result() const {
  std::size_t bytes = 128;
  for (const auto& r : records)
    bytes += r.size() + 1;
  std::string out;
  out.reserve(bytes);
  out += '{';
  if (has_list) {
    out += "\"model_list\":[";
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (i > 0)
        out += ',';
      out += records[i];
    }
    out += "],";
  }
  out += success ? "\"success\":true" : "\"success\":false";
  json::num(out, "total_count", total_count);
  json::num(out, "page_no", page_no);
  json::num(out, "page_size", page_size);
  out += '}';
  return out;
}

} // namespace taosync::sim
