#include "obs/metrics.hpp"
