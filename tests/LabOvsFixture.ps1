# A private Open vSwitch for the lab tests and the bench: own database, sockets, pid and log files in a temp
# directory, and ovs-vswitchd running inside its own network namespace (the "switch namespace"). The userspace
# datapath opens a tap device named 'ovs-netdev' in the namespace vswitchd runs in; two ovs-vswitchd with netdev
# bridges in one namespace collide on it (EBUSY), so a private instance in the root namespace would fight the
# system OVS or another private one. Lab cmdlets take -OvsSocket and -SwitchNamespace for it.
# Dot-source, then:
#   $ovs = Start-LabOvs          # Dir, Socket, Namespace, ...
#   Stop-LabOvs $ovs             # removes bridges, stops both daemons, deletes the namespace and the directory
function Start-LabOvs {
    [CmdletBinding()]
    param([string] $Prefix = 'labovs')
    $id = [guid]::NewGuid().ToString('N').Substring(0, 8)
    $dir = Join-Path ([IO.Path]::GetTempPath()) "netns-$Prefix-$id"
    New-Item -ItemType Directory -Path $dir | Out-Null
    $o = [pscustomobject]@{
        Dir       = $dir
        Namespace = "$Prefix-$id"
        Db        = Join-Path $dir 'conf.db'
        Socket    = Join-Path $dir 'db.sock'
        DbPid     = Join-Path $dir 'ovsdb-server.pid'
        SwitchPid = Join-Path $dir 'ovs-vswitchd.pid'
    }
    try {
        & ip netns add $o.Namespace
        if ($LASTEXITCODE -ne 0) { throw "ip netns add $($o.Namespace) failed" }
        & ip -n $o.Namespace link set lo up
        & ovsdb-tool create $o.Db /usr/share/openvswitch/vswitch.ovsschema
        if ($LASTEXITCODE -ne 0) { throw 'ovsdb-tool create failed' }
        & ovsdb-server $o.Db "--remote=punix:$($o.Socket)" "--pidfile=$($o.DbPid)" "--unixctl=$dir/ovsdb-server.ctl" "--log-file=$dir/ovsdb-server.log" -vconsole:off --detach --no-chdir 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'ovsdb-server failed to start' }
        & ovs-vsctl "--db=unix:$($o.Socket)" --no-wait init
        & ip netns exec $o.Namespace ovs-vswitchd "unix:$($o.Socket)" "--pidfile=$($o.SwitchPid)" "--unixctl=$dir/ovs-vswitchd.ctl" "--log-file=$dir/ovs-vswitchd.log" -vconsole:off --detach --no-chdir 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'ovs-vswitchd failed to start' }
        & ovs-vsctl "--db=unix:$($o.Socket)" --timeout=10 show *> $null
        if ($LASTEXITCODE -ne 0) { throw 'the private OVS does not answer' }
    } catch {
        Stop-LabOvs $o
        throw
    }
    $o
}

function Stop-LabOvs {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Ovs)
    if (-not $Ovs) { return }
    if (Test-Path $Ovs.Socket) {
        foreach ($b in @(& ovs-vsctl "--db=unix:$($Ovs.Socket)" --timeout=5 list-br 2>$null)) {
            if ($b) { & ovs-vsctl "--db=unix:$($Ovs.Socket)" --timeout=20 --if-exists del-br $b }
        }
    }
    foreach ($pidFile in $Ovs.SwitchPid, $Ovs.DbPid) {
        if (Test-Path $pidFile) {
            $p = [int](Get-Content -Raw $pidFile).Trim()
            & kill -TERM $p 2>$null
            for ($i = 0; $i -lt 100 -and (Test-Path "/proc/$p"); $i++) { Start-Sleep -Milliseconds 50 }
            if (Test-Path "/proc/$p") { & kill -KILL $p 2>$null }
        }
    }
    if (Test-Path "/run/netns/$($Ovs.Namespace)") { & ip netns del $Ovs.Namespace }
    if (Test-Path $Ovs.Dir) { Remove-Item -Recurse -Force $Ovs.Dir -ErrorAction SilentlyContinue }
}
