// Command devdb runs a local MongoDB-compatible server for tests and dev runs:
// FerretDB 1.24 embedded, on its SQLite backend (one directory of .sqlite files).
//
// Usage:
//
//	devdb [--listen 127.0.0.1:27017] [--data-dir ./.devdb] [--log-level error]
//	devdb ping [--uri mongodb://127.0.0.1:27017/] [--timeout 5s]
//
// It is a stand-in for MongoDB in local runs only: production is real MongoDB,
// so code must not depend on FerretDB's differences (see shared/CONVENTIONS.md).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

const ferretModule = "github.com/FerretDB/FerretDB"

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "ping" {
		os.Exit(ping(args[1:]))
	}
	if len(args) > 0 && args[0] == "serve" {
		args = args[1:]
	}
	os.Exit(serve(args))
}

// ferretVersion returns the FerretDB module version compiled into this binary.
// (The embedded package itself reports "unknown".)
func ferretVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == ferretModule {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return "unknown"
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("invalid --log-level %q (want debug, info, warn or error)", s)
	}
	return l, nil
}

func serve(args []string) int {
	fs := flag.NewFlagSet("devdb", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := fs.String("data-dir", "./.devdb", "directory for the SQLite files (created if missing)")
	logLevel := fs.String("log-level", "error", "log level: debug, info, warn, error (warn also logs every error reply, e.g. duplicate keys)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "devdb: unexpected arguments: %v\n", fs.Args())
		return 2
	}

	level, err := parseLevel(*logLevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "devdb:", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "devdb: data dir:", err)
		return 1
	}
	if strings.ContainsAny(dir, "?#%") {
		fmt.Fprintf(os.Stderr, "devdb: data dir %q must not contain '?', '#' or '%%'\n", dir)
		return 2
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "devdb: data dir:", err)
		return 1
	}

	fdb, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "devdb:", err)
		return 1
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	done := make(chan error, 1)
	go func() { done <- fdb.Run(ctx) }()

	// New has already bound the listener, so the address is known and accepting.
	fmt.Printf("devdb: FerretDB %s (sqlite) listening on %s data=%s\n", ferretVersion(), fdb.MongoDBURI(), dir)

	select {
	case err = <-done: // Run returned without a signal
	case <-ctx.Done():
		fmt.Println("devdb: stopping")
		err = <-done
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "devdb:", err)
		return 1
	}
	fmt.Println("devdb: stopped")
	return 0
}

// ping connects to uri and runs {ping: 1} on the admin database; exit 0 on success.
func ping(args []string) int {
	fs := flag.NewFlagSet("devdb ping", flag.ContinueOnError)
	uri := fs.String("uri", "mongodb://127.0.0.1:27017/", "MongoDB URI to ping")
	timeout := fs.Duration("timeout", 5*time.Second, "give up after this long")
	quiet := fs.Bool("quiet", false, "print nothing on success")
	if err := fs.Parse(args); err != nil {
		return 2
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	err := pingOnce(ctx, *uri)
	if err != nil {
		fmt.Fprintf(os.Stderr, "devdb ping: %s: %v\n", *uri, err)
		return 1
	}
	if !*quiet {
		fmt.Printf("devdb ping: %s ok\n", *uri)
	}
	return 0
}

func pingOnce(ctx context.Context, uri string) error {
	opts := options.Client().ApplyURI(uri).SetServerSelectionTimeout(2 * time.Second)
	client, err := mongo.Connect(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		dctx, dcancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer dcancel()
		_ = client.Disconnect(dctx)
	}()

	var res bson.M
	if err := client.Database("admin").RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Decode(&res); err != nil {
		return err
	}
	switch ok := res["ok"].(type) {
	case float64:
		if ok == 1 {
			return nil
		}
	case int32:
		if ok == 1 {
			return nil
		}
	case int64:
		if ok == 1 {
			return nil
		}
	}
	return errors.New(fmt.Sprint("unexpected reply: ", res))
}
