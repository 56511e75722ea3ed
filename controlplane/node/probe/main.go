// Command probe is the one program inside the images the local node makes without a registry:
// the Pod sandbox ("pause") image and the small image the node's e2e test runs. It is static, so
// an image holds nothing else.
//
//	probe pause          sleep until SIGTERM or SIGINT, reaping children (a Pod's sandbox)
//	probe serve PORT     answer HTTP GET with "<hostname> <path>" until SIGTERM or SIGINT
//	probe get URL        print the body of an HTTP GET (exit 1 on error or a status >= 400)
//	probe hostname       print the hostname
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: probe pause | serve PORT | get URL | hostname")
	}
	switch os.Args[1] {
	case "pause":
		pause()
	case "serve":
		if len(os.Args) != 3 {
			fail("usage: probe serve PORT")
		}
		serve(os.Args[2])
	case "get":
		if len(os.Args) != 3 {
			fail("usage: probe get URL")
		}
		get(os.Args[2])
	case "hostname":
		name, err := os.Hostname()
		if err != nil {
			fail(err.Error())
		}
		fmt.Println(name)
	default:
		fail("unknown command " + os.Args[1])
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "probe:", message)
	os.Exit(1)
}

// pause exits at once on SIGTERM or SIGINT (a PID 1 that ignored them would make every Pod
// deletion wait for the whole grace period) and reaps the zombies a shared PID namespace leaves.
func pause() {
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for s := range signals {
		if s != syscall.SIGCHLD {
			return
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}

func serve(port string) {
	hostname, _ := os.Hostname()
	server := &http.Server{
		Addr:              ":" + port,
		ReadHeaderTimeout: 5 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Printf("probe: %s %s from %s\n", r.Method, r.URL.Path, r.RemoteAddr)
			fmt.Fprintf(w, "%s %s\n", hostname, r.URL.Path)
		}),
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	fmt.Printf("probe: serving on port %s as %s\n", port, hostname)
	if err := server.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		fail(err.Error())
	}
}

func get(url string) {
	client := &http.Client{Timeout: 10 * time.Second}
	response, err := client.Get(url)
	if err != nil {
		fail(err.Error())
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	if err != nil {
		fail(err.Error())
	}
	fmt.Print(string(body))
	if response.StatusCode >= 400 {
		os.Exit(1)
	}
}
