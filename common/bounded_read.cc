#include "common/bounded_read.h"

#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>

#include <sstream>

namespace cks {

BodyRead decodeBody(std::string& raw, std::string_view encoding, std::size_t limit,
                    std::string& body) {
  if (encoding == "identity" || encoding.empty()) {
    body = std::move(raw);
    return body.size() > limit ? BodyRead::TooLarge : BodyRead::Ok;
  }
  if (encoding != "gzip") {
    body = "body: Content-Encoding " + std::string(encoding) + " is not supported (gzip or none)";
    return BodyRead::BadEncoding;
  }
  try {
    std::istringstream compressed(raw);
    Poco::InflatingInputStream inflating(compressed, Poco::InflatingStreamBuf::STREAM_GZIP);
    if (!readCapped(inflating, limit, body)) return BodyRead::TooLarge;
  } catch (const Poco::Exception& e) {
    body = "body: not valid gzip: " + e.message();
    return BodyRead::BadEncoding;
  }
  return BodyRead::Ok;
}

}  // namespace cks
