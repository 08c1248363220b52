// CJSONScan is header-only (static inline functions in include/CJSONScan.h); SwiftPM needs one source file.
#include "CJSONScan.h"
