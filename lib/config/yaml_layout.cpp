#include "config/yaml_layout.hpp"

namespace taosync::config::detail {

namespace {

std::vector<std::string> split(const std::string& dotted) {
  std::vector<std::string> parts;
  if (dotted.empty())
    return parts;
  std::size_t start = 0;
  for (auto dot = dotted.find('.'); dot != std::string::npos; dot = dotted.find('.', start)) {
    parts.push_back(dotted.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(dotted.substr(start));
  return parts;
}

} // namespace

void for_each_nested(const std::vector<Setting>& rows,
                     const std::function<void(int depth, const std::string& name)>& open,
                     const std::function<void(int depth, const Setting& row)>& key) {
  std::vector<std::string> current;
  for (const Setting& row : rows) {
    const std::vector<std::string> path = split(row.section());
    std::size_t common = 0;
    while (common < current.size() && common < path.size() && current[common] == path[common])
      ++common;
    for (std::size_t i = common; i < path.size(); ++i)
      open(static_cast<int>(i), path[i]);
    current = path;
    key(static_cast<int>(path.size()), row);
  }
}

std::string indent(int depth) {
  return std::string(static_cast<std::size_t>(depth) * 2, ' ');
}

} // namespace taosync::config::detail
