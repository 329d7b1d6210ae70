/* The C ABI's declarations live in include/tally.h; the functions are
 * implemented in Swift (Sources/TallyC) and exported with @_cdecl. This file
 * exists because a SwiftPM C target needs a source file, and it checks at
 * compile time that the header stands alone as C. */
#include "tally.h"

_Static_assert(sizeof(tally_status) == 4, "tally_status is a 32-bit integer");
