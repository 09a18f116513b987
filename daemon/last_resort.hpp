#pragma once
// The last line of defence: an exception that no command handled ends the process with
// exit 70 (EX_SOFTWARE) and one line on stderr, never with SIGABRT.

#include <exception>

namespace taosync::daemon {

/// Makes std::terminate (an exception escaping a thread, a destructor or a noexcept
/// function) report the exception and exit 70 instead of aborting.
void install_terminate_handler();

/// Reports an exception that reached main() and returns 70.
int report_uncaught(std::exception_ptr e);

} // namespace taosync::daemon
