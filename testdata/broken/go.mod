// A module with one package that does not type-check, one that imports it,
// one whose cgo code does not compile and its importer,
// and one that does type-check:
// the run must report the first two clearly and go on with the third.
module example.com/broken

go 1.26.0
