#pragma once
// Small tables of Taiwanese names, places, stores and products that generated orders pick from.

#include <array>
#include <cstdint>
#include <string_view>

namespace taosync::sim::tables {

using sv = std::string_view;

inline constexpr std::array<sv, 30> kSurnames = {
    "陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊", "許", "鄭", "謝", "郭", "洪",
    "曾", "邱", "廖", "賴", "周", "徐", "蘇", "葉", "莊", "呂", "江", "何", "蕭", "羅", "高"};

inline constexpr std::array<sv, 32> kGivenChars = {
    "怡", "君", "雅", "婷", "家", "豪", "志", "明", "宜", "萱", "佳", "穎", "俊", "傑", "淑", "芬",
    "美", "玲", "建", "宏", "冠", "廷", "雲", "瑋", "柏", "翰", "欣", "妤", "詩", "涵", "承", "恩"};

inline constexpr std::array<sv, 24> kNicknames = {
    "abbyh",    "MiaYu",    "kevin0921", "Tina Chen", "jasonlin", "ann_wu",
    "Peggy",    "yuting.h", "chloe88",   "Vivian",    "ericwang", "Sandy Lee",
    "amber_tw", "Joyce",    "mikechang", "Wendy Hsu", "yoyo",     "Ruby Tsai",
    "alan.kuo", "Iris",     "benson77",  "Grace Wu",  "ivy_lin",  "Kelly"};

/// A city, its short name (for store names) and its districts.
struct City {
  sv name;
  sv short_name;
  std::array<sv, 5> districts;
};

inline constexpr std::array<City, 8> kCities = {{
    {"台北市", "北市", {"松山區", "大安區", "信義區", "中山區", "內湖區"}},
    {"新北市", "新北", {"板橋區", "中和區", "新莊區", "三重區", "永和區"}},
    {"桃園市", "桃園", {"桃園區", "中壢區", "龜山區", "八德區", "平鎮區"}},
    {"台中市", "中市", {"西屯區", "北屯區", "南屯區", "豐原區", "大里區"}},
    {"台南市", "南市", {"東區", "永康區", "安平區", "中西區", "北區"}},
    {"高雄市", "高市", {"苓雅區", "三民區", "左營區", "鳳山區", "前鎮區"}},
    {"新竹市", "竹市", {"東區", "北區", "香山區", "東區", "北區"}},
    {"基隆市", "基市", {"仁愛區", "信義區", "中正區", "安樂區", "七堵區"}},
}};

inline constexpr std::array<sv, 16> kRoads = {
    "中正路",      "中山路",     "民生路",       "民族路",      "復興路", "建國路",
    "成功路",      "文化路",     "自由路",       "光復南路",    "公益路", "中華路二段",
    "南京東路5段", "基隆路二段", "忠孝東路四段", "和平東路一段"};

inline constexpr std::array<sv, 16> kStoreNames = {"松清", "欣隆昌", "信安", "光復", "永春", "民權",
                                                   "福德", "興隆",   "新生", "仁愛", "文昌", "大同",
                                                   "吉林", "長春",   "中興", "豐年"};

/// A delivery option: store brand ("" = home delivery), payment channel and shipping fee.
struct Channel {
  sv brand;
  sv payment_channel;
  std::int64_t shipping_fee;
  sv tracking_prefix;
  int weight;
};

inline constexpr std::array<Channel, 5> kChannels = {{
    {"7-ELEVEN", "CAINIAO_SEVENELEVN_COD", 60, "F", 35},
    {"萊爾富", "CAINIAO_HILIFE_COD", 52, "20KXH", 20},
    {"全家", "CAINIAO_FAMILYMART_COD", 60, "T", 25},
    {"", "CAINIAO_HOME_DELIVERY_COD", 100, "TW", 10},
    {"", "CREDIT_CARD", 80, "TW", 10},
}};

/// A sku property with the values it takes.
struct Property {
  std::int64_t id;
  sv name;
  std::array<sv, 6> values;
};

inline constexpr Property kColor = {
    226649326, "色系", {"黑色", "白色", "灰色", "藍色", "粉色", "卡其色"}};
inline constexpr Property kApparelSize = {19447, "產品尺寸", {"46", "48", "50", "52", "54", "56"}};
inline constexpr Property kSize = {20509, "尺寸", {"S", "M", "L", "XL", "XXL", "F"}};
inline constexpr Property kShoeSize = {20549, "鞋碼", {"36", "37", "38", "39", "40", "41"}};
inline constexpr Property kSpec = {
    100006, "規格", {"標準版", "豪華版", "單入", "兩入組", "三入組", "家庭號"}};

/// A kind of product: its title stem, price band and sku properties (0, 1 or 2 of them).
struct Product {
  sv stem;
  std::int64_t min_price;
  std::int64_t max_price;
  const Property* first;
  const Property* second;
};

inline constexpr std::array<Product, 16> kProducts = {{
    {"棉白T", 10, 390, &kColor, &kApparelSize},
    {"連帽外套", 490, 1590, &kColor, &kSize},
    {"牛仔褲", 390, 1290, &kColor, &kSize},
    {"帆布鞋", 590, 1890, &kColor, &kShoeSize},
    {"後背包", 350, 1990, &kColor, nullptr},
    {"保溫杯", 199, 890, &kColor, &kSpec},
    {"手機殼", 99, 399, &kColor, nullptr},
    {"藍牙耳機", 690, 2990, &kColor, &kSpec},
    {"洋裝", 450, 1680, &kColor, &kSize},
    {"針織毛衣", 390, 1490, &kColor, &kSize},
    {"運動短襪", 49, 299, &kColor, &kSize},
    {"收納盒", 59, 399, &kSpec, nullptr},
    {"抱枕", 199, 690, nullptr, nullptr},
    {"保濕面膜", 99, 599, &kSpec, nullptr},
    {"行動電源", 390, 1290, &kSpec, nullptr},
    {"貓抓板", 149, 499, nullptr, nullptr},
}};

inline constexpr std::array<sv, 12> kTitlePrefixes = {
    "親膚", "韓版", "日系", "加厚", "純棉", "復古", "簡約", "防水", "輕量", "透氣", "寬鬆", "百搭"};

inline constexpr std::array<sv, 6> kTitleSuffixes = {"",         "",          "【現貨】",
                                                     "(兩件組)", " 台灣出貨", "【免運】"};

} // namespace taosync::sim::tables
