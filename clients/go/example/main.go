// A minimal Go client of Drop: the public exchange rates over gRPC (to Envoy or the workers).
// Build it after `buf generate --template clients/go/buf.gen.yaml` (see the README).
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"google.golang.org/grpc"

	dropv1 "drop.app/client/gen/drop/v1"
)

func main() {
	target := "127.0.0.1:8080"
	if len(os.Args) > 1 {
		target = os.Args[1]
	}
	connection, err := grpc.Dial(target, grpc.WithInsecure())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer connection.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rates, err := dropv1.NewRateServiceClient(connection).ListRates(ctx, &dropv1.ListRatesRequest{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(rates.GetData().GetBaseCurrency(), rates.GetData().GetRates()["RSD"])
}
