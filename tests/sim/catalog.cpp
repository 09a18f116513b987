#include "catalog.hpp"

#include "catalog_tables.hpp"
#include "prng.hpp"

#include <string_view>

namespace taosync::sim {

namespace {

/// Salts that keep the hashes of different attributes independent.
enum Salt : std::uint64_t {
  kLines = 1,
  kBuyer,
  kName,
  kAddress,
  kChannel,
  kPhone,
  kProduct,
  kSku,
  kPrice,
  kShip,
  kTrack
};

std::string digits(std::uint64_t h, int n) {
  std::string s(static_cast<std::size_t>(n), '0');
  for (int i = n - 1; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = static_cast<char>('0' + h % 10);
    h /= 10;
  }
  return s;
}

std::string hex32(std::uint64_t a, std::uint64_t b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (auto v : {a, b})
    for (int i = 60; i >= 0; i -= 4)
      s += kHex[(v >> i) & 0xF];
  return s;
}

template <class Table> auto pick(const Table& t, std::uint64_t h) {
  return t[h % t.size()];
}

/// Appends one sku property as lazop writes it; returns the picked value's index.
std::size_t append_sku(const tables::Property* p, std::uint64_t h, std::string& out) {
  auto value = h % p->values.size();
  // Free-text properties carry valueId -1, as in the seed; enumerated ones a real id.
  std::int64_t value_id = p->id == tables::kShoeSize.id || p->id == tables::kSpec.id
                              ? 6000000 + p->id % 1000 * 10 + static_cast<std::int64_t>(value)
                              : -1;
  out += "{\"valueId\":" + std::to_string(value_id) + ",\"valueText\":\"";
  out += p->values[value];
  out += "\",\"propertyName\":\"";
  out += p->name;
  out += "\",\"propertyId\":" + std::to_string(p->id) + "}";
  return value;
}

LineFields describe_line(std::uint64_t seed, std::uint64_t order_id, int k,
                         const tables::Channel& channel) {
  LineFields l;
  l.line_id = line_id_of(order_id, k);
  auto hp = hash_of(seed, l.line_id, kProduct);
  auto prefix = hp % tables::kTitlePrefixes.size();
  auto stem = (hp >> 8) % tables::kProducts.size();
  auto suffix = (hp >> 16) % tables::kTitleSuffixes.size();
  const auto& product = tables::kProducts[stem];
  // A product is one (prefix, stem, suffix) combination, so titles and ids repeat across orders.
  auto product_key = hash_of(seed, prefix, stem, suffix);
  l.product_id = std::to_string(100000000 + product_key % 900000000);
  l.product_title = std::string(tables::kTitlePrefixes[prefix]) + std::string(product.stem) +
                    std::string(tables::kTitleSuffixes[suffix]);
  l.product_main_image = "https://img-ovs.alicdn.com/other/gsp/" +
                         hex32(mix64(product_key), mix64(product_key + 1)) + ".jpeg";
  auto hs = hash_of(seed, l.line_id, kSku);
  l.sku_info = "[";
  std::uint64_t variant = 0;
  if (product.first != nullptr && hs % 20 != 0) {
    variant = 1 + append_sku(product.first, hash_of(hs, 1), l.sku_info);
    if (product.second != nullptr) {
      l.sku_info += ',';
      variant = variant * 8 + append_sku(product.second, hash_of(hs, 2), l.sku_info);
    }
  }
  l.sku_info += "]";
  l.sku_id = std::to_string(1000000000 + hash_of(product_key, kSku, variant) % 9000000000);
  l.product_detail_url = "https://item.taobao.tw/products/i" + l.product_id + "-s" + l.sku_id +
                         ".html?urlFlag=true&mp=1";
  auto price_h = hash_of(product_key, kPrice);
  l.unit_fee = product.min_price +
               static_cast<std::int64_t>(
                   price_h % static_cast<std::uint64_t>(product.max_price - product.min_price + 1));
  static constexpr std::array<int, 3> kQuantityWeights = {70, 20, 10};
  l.quantity = static_cast<std::int64_t>(pick_weighted(hs >> 32, kQuantityWeights)) + 1;
  l.shipping_fee = k == 0 ? channel.shipping_fee : 0;
  auto hship = hash_of(seed, l.line_id, kShip);
  l.package_id = "FO" + digits(hship, 15);
  int shipments = hship % 3 == 0 ? 2 : 1;
  for (int n = 1; n <= shipments; ++n) {
    auto ht = hash_of(seed, l.line_id, kTrack, static_cast<std::uint64_t>(n));
    int width = 13 - static_cast<int>(channel.tracking_prefix.size());
    l.shipments.push_back({std::string(channel.tracking_prefix) + digits(ht, width < 8 ? 8 : width),
                           "LP00" + digits(mix64(ht), 12)});
  }
  return l;
}

/// The delivery_info fields: a Taiwanese address, a convenience-store pickup point for COD.
void describe_delivery(std::uint64_t seed, std::uint64_t order_id, const tables::Channel& channel,
                       OrderFields& o) {
  auto ha = hash_of(seed, order_id, kAddress);
  const auto& city = pick(tables::kCities, ha);
  o.city = std::string(city.name);
  o.area = std::string(pick(city.districts, ha >> 8));
  o.country_code = (ha >> 16) % 5 < 3 ? "CN" : "TW"; // "CN" with state 台灣, as in the seed
  o.state = "台灣";
  std::string street = o.city + o.area + std::string(pick(tables::kRoads, ha >> 20));
  if ((ha >> 28) % 3 == 0)
    street += std::to_string(1 + (ha >> 30) % 200) + "巷";
  street += std::to_string(1 + (ha >> 38) % 300);
  if ((ha >> 46) % 4 == 0)
    street += "之" + std::to_string(1 + (ha >> 48) % 3);
  street += "號";
  std::string store(pick(tables::kStoreNames, ha >> 52));
  if (channel.brand == "7-ELEVEN")
    o.detail_address = street + " 7-ELEVEN" + store;
  else if (!channel.brand.empty())
    o.detail_address =
        street + " " + std::string(channel.brand) + std::string(city.short_name) + store + "店";
  else
    o.detail_address = street + std::to_string(2 + (ha >> 58) % 12) + "樓";
}

OrderFields seed_order_a();
OrderFields seed_order_b();

} // namespace

std::int64_t OrderFields::actual_fee() const {
  std::int64_t sum = 0;
  for (const auto& l : lines)
    sum += l.actual_fee();
  return sum;
}

bool is_seed_order(std::uint64_t order_id) {
  return order_id == kSeedOrderA || order_id == kSeedOrderB;
}

int line_count_of(std::uint64_t seed, std::uint64_t order_id) {
  if (is_seed_order(order_id))
    return 1;
  static constexpr std::array<int, kMaxLines> kWeights = {55, 25, 10, 6, 4};
  return static_cast<int>(pick_weighted(hash_of(seed, order_id, kLines), kWeights)) + 1;
}

std::uint64_t line_id_of(std::uint64_t order_id, int k) {
  if (is_seed_order(order_id))
    return order_id + 100000; // the seed's line ids
  return order_id + static_cast<std::uint64_t>(k + 1) * kLineStride;
}

std::pair<std::uint64_t, int> owner_of_line(std::uint64_t line_id) {
  for (auto seed_id : {kSeedOrderA, kSeedOrderB})
    if (line_id == seed_id + 100000)
      return {seed_id, 0};
  if (line_id < kIdBase)
    return {0, -1};
  auto offset = (line_id - kIdBase) % kSlotStride;
  auto k = static_cast<int>(offset / kLineStride) - 1;
  if (k < 0 || k >= kMaxLines)
    return {0, -1};
  return {line_id - static_cast<std::uint64_t>(k + 1) * kLineStride, k};
}

int tracked_shipments(std::string_view status, int shipments) {
  if (status == "ready_to_ship")
    return 1; // the label is printed: the last shipment has its number, as in the seed
  if (status == "shipped" || status == "delivered" || status == "returned" || status == "failed" ||
      status == "lost")
    return shipments;
  return 0;
}

OrderFields describe_order(std::uint64_t seed, std::uint64_t order_id) {
  if (order_id == kSeedOrderA)
    return seed_order_a();
  if (order_id == kSeedOrderB)
    return seed_order_b();
  OrderFields o;
  o.order_id = order_id;
  auto hb = hash_of(seed, order_id, kBuyer);
  o.buyer_id = "2000" + digits(hb, 9);
  auto hn = hash_of(seed, order_id, kName);
  if (hn % 2 == 0) {
    o.buyer_full_name = std::string(pick(tables::kNicknames, hn >> 8));
  } else {
    o.buyer_full_name = std::string(pick(tables::kSurnames, hn >> 8)) +
                        std::string(pick(tables::kGivenChars, hn >> 16)) +
                        std::string(pick(tables::kGivenChars, hn >> 24));
  }
  if ((hn >> 32) % 3 == 0)
    o.buyer_full_name += ' '; // the platform keeps trailing spaces
  o.receiver_name = std::string(pick(tables::kSurnames, hn >> 40)) + "**" +
                    std::string(pick(tables::kGivenChars, hn >> 48));
  o.receiver_phone = "09******" + digits(hash_of(seed, order_id, kPhone), 2);

  static constexpr auto kChannelWeights = [] {
    std::array<int, tables::kChannels.size()> w{};
    for (std::size_t i = 0; i < w.size(); ++i)
      w[i] = tables::kChannels[i].weight;
    return w;
  }();
  const auto& channel =
      tables::kChannels[pick_weighted(hash_of(seed, order_id, kChannel), kChannelWeights)];
  o.payment_channel = std::string(channel.payment_channel);
  o.shipping_fee = channel.shipping_fee;

  describe_delivery(seed, order_id, channel, o);
  int lines = line_count_of(seed, order_id);
  for (int k = 0; k < lines; ++k)
    o.lines.push_back(describe_line(seed, order_id, k, channel));
  return o;
}

namespace {

OrderFields seed_order_a() {
  OrderFields o;
  o.order_id = kSeedOrderA;
  o.buyer_id = "2000007867941";
  o.buyer_full_name = "abbyh ";
  o.payment_channel = "CAINIAO_HILIFE_COD";
  o.area = "松山區";
  o.country_code = "CN";
  o.city = "台北市";
  o.detail_address = "台北市松山區南京東路5段250巷3-1號 萊爾富北市松清店";
  o.receiver_name = "黃**雲";
  o.state = "台灣";
  o.receiver_phone = "09******62";
  o.shipping_fee = 52;
  LineFields l;
  l.line_id = 558757467941;
  l.product_id = "242178746";
  l.sku_id = "3065252106";
  l.package_id = "FO054911000916205";
  l.product_title = "親膚棉白T";
  l.product_main_image =
      "https://img-ovs.alicdn.com/other/gsp/e4b96b68d61f18a93aaab544d278b8ef.jpeg";
  l.product_detail_url =
      "https://item.taobao.tw/products/i242178746-s3065252106.html?urlFlag=true&mp=1";
  l.sku_info = R"([{"valueId":-1,"valueText":"黑色","propertyName":"色系","propertyId":226649326},)"
               R"({"valueId":-1,"valueText":"50","propertyName":"產品尺寸","propertyId":19447}])";
  l.unit_fee = 10;
  l.quantity = 1;
  l.shipping_fee = 52;
  l.shipments = {{"", ""}, {"20KXH23050207", "LP00184048254522"}};
  o.lines.push_back(std::move(l));
  return o;
}

OrderFields seed_order_b() {
  OrderFields o;
  o.order_id = kSeedOrderB;
  o.buyer_id = "2000004999700";
  o.buyer_full_name = "MiaYu ";
  o.payment_channel = "CAINIAO_SEVENELEVN_COD";
  o.area = "大安區";
  o.country_code = "CN";
  o.city = "台北市";
  o.detail_address = "台北市大安區基隆路二段142之1號及142之2號 7-ELEVEN欣隆昌";
  o.receiver_name = "余**萱";
  o.state = "台灣";
  o.receiver_phone = "09******08";
  o.shipping_fee = 60;
  // The seed shows only this order's head; its line is invented to match (61 + 60 = 121).
  LineFields l;
  l.line_id = 546108499700;
  l.product_id = "231567702";
  l.sku_id = "3021457781";
  l.package_id = "FO054680000731944";
  l.product_title = "冰絲透氣運動短襪5雙組";
  l.product_main_image =
      "https://img-ovs.alicdn.com/other/gsp/5c0e2d1f7a9b44e6a1b3c8d9e0f71a2b.jpeg";
  l.product_detail_url =
      "https://item.taobao.tw/products/i231567702-s3021457781.html?urlFlag=true&mp=1";
  l.sku_info = R"([{"valueId":-1,"valueText":"白色","propertyName":"色系","propertyId":226649326},)"
               R"({"valueId":-1,"valueText":"M","propertyName":"尺寸","propertyId":20509}])";
  l.unit_fee = 61;
  l.quantity = 1;
  l.shipping_fee = 60;
  l.shipments = {{"F06291475328", "LP00183977126409"}};
  o.lines.push_back(std::move(l));
  return o;
}

} // namespace

} // namespace taosync::sim
