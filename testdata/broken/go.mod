// A module with one package that does not type-check and one that does:
// the run must report the first clearly and go on with the second.
module example.com/broken

go 1.26.0
