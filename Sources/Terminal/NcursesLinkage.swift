// The C shim (CursesShim) is compiled without clang modules, so its use of ncurses does not
// pull in the library by itself. Importing the system-library module here makes the Swift
// compiler autolink `-lncursesw` (from Sources/CNcursesw/module.modulemap) into every product
// that links Terminal. Nothing from ncurses is used in Swift: all calls go through CursesShim.
import CNcursesw
