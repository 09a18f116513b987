#include "sync/engine.hpp"
