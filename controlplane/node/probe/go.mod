module github.com/oos-dev/oos/controlplane/node/probe

go 1.24.0
