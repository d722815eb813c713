package grpcctx

import (
	"go/ast"
	"testing"
)

// TestHandlerWaits checks HandlerWaits on each kind of wait, and that a
// wait inside the goroutine itself does not count for the handler.
func TestHandlerWaits(t *testing.T) {
	s := load(t, `package p

import "sync"

func work() {}

func noWait() {
	go func() { work() }() // the handler returns at once
}

func waitsInGoroutine() {
	done := make(chan struct{})
	go func() { <-done; work() }() // the goroutine waits, not the handler
}

func recv() {
	done := make(chan struct{})
	go func() { work(); close(done) }()
	<-done
}

func rangeChan() {
	out := make(chan int)
	go func() { work(); close(out) }()
	for range out {
	}
}

func waitGroup() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); work() }()
	wg.Wait()
}

func inLiteral() {
	done := make(chan struct{})
	go func() { work(); close(done) }()
	func() { <-done }() // a literal the handler calls is the handler's flow
}
`)
	m := s.model(t)
	want := map[string]bool{"noWait": false, "waitsInGoroutine": false, "recv": true, "rangeChan": true, "waitGroup": true, "inLiteral": true}
	for _, f := range s.files {
		for _, d := range f.Decls {
			decl, ok := d.(*ast.FuncDecl)
			if !ok || decl.Name.Name == "work" {
				continue
			}
			h := &Handler{Kind: Unary, Func: decl, Name: decl.Name.Name}
			if got := m.HandlerWaits(h); got != want[decl.Name.Name] {
				t.Errorf("HandlerWaits(%s) = %v, want %v", decl.Name.Name, got, want[decl.Name.Name])
			}
			if got := m.HandlerWaits(h); got != want[decl.Name.Name] {
				t.Errorf("HandlerWaits(%s) cached = %v, want %v", decl.Name.Name, got, want[decl.Name.Name])
			}
		}
	}
	if m.HandlerWaits(nil) {
		t.Error("HandlerWaits(nil) = true")
	}
}
