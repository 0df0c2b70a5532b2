# A private Open vSwitch for the tests and the bench: its own database file, ovsdb-server, ovs-vswitchd, sockets, pid and
# log files in one temp directory. The system OVS (/var/run/openvswitch) is never touched.
#   $ovs = Start-TestOvs                              # ovs-vswitchd in the root namespace; also points NetNs at it
#                                                     # (Set-OvsConnection -Database $ovs.Database)
#   $ovs = Start-TestOvs -InNamespace -Prefix labx    # ovs-vswitchd in its own network namespace $ovs.Namespace (the
#                                                     # "switch namespace"); the connection setting is left alone
#   Stop-TestOvs $ovs                                 # removes its bridges, stops both daemons, deletes the namespace and
#                                                     # the directory (and Set-OvsConnection -Default when it set it)
# The object: Dir, Socket, Database ('unix:' + Socket), Db (the database file), ServerPid and SwitchPid (pid files),
# ServerCtl and SwitchCtl (unixctl sockets), Namespace ('' = the root namespace), Connected.
# The userspace datapath opens a tap named 'ovs-netdev' in the namespace ovs-vswitchd runs in, and only one instance per
# namespace can have netdev bridges (EBUSY): an instance in the root namespace competes with the system OVS and with other
# root-namespace instances, one in its own namespace does not (lab cmdlets take -OvsSocket and -SwitchNamespace for it).

function Start-TestOvs {
    [CmdletBinding()]
    param(
        [string] $Prefix = 'testovs',
        [switch] $InNamespace,
        [int] $TimeoutSeconds = 10,
        [int] $WaitForNetdevSeconds = 120,
        [switch] $AllowNetdevConflict
    )
    # In the root namespace, only one userspace (netdev) datapath can exist: when another OVS (the system one, or another
    # test run) has netdev bridges, wait for it to go, then fail with the reason. -AllowNetdevConflict starts it anyway
    # (for the test of what happens to a second instance).
    if (-not $InNamespace -and -not $AllowNetdevConflict) {
        $deadline = [DateTime]::UtcNow.AddSeconds($WaitForNetdevSeconds)
        while ((Test-Path /sys/class/net/ovs-netdev) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 500 }
        if (Test-Path /sys/class/net/ovs-netdev) {
            throw "Another Open vSwitch instance has a userspace (netdev) datapath (interface 'ovs-netdev' exists), and a host can only have one. Remove its netdev bridges (ovs-vsctl list-br; ovs-vsctl del-br NAME) or stop it, then rerun the tests."
        }
    }
    $id = [guid]::NewGuid().ToString('N').Substring(0, 8)
    $dir = Join-Path ([IO.Path]::GetTempPath()) "netns-$Prefix-$id"
    New-Item -ItemType Directory -Path $dir | Out-Null
    & chmod 700 $dir
    $ovs = [pscustomobject]@{
        Dir       = $dir
        Socket    = Join-Path $dir 'db.sock'
        Database  = 'unix:' + (Join-Path $dir 'db.sock')
        Db        = Join-Path $dir 'conf.db'
        ServerPid = Join-Path $dir 'ovsdb-server.pid'
        SwitchPid = Join-Path $dir 'ovs-vswitchd.pid'
        ServerCtl = Join-Path $dir 'ovsdb-server.ctl'
        SwitchCtl = Join-Path $dir 'ovs-vswitchd.ctl'
        Namespace = if ($InNamespace) { "$Prefix-$id" } else { '' }
        Connected = $false
    }
    # ovs-vswitchd puts its per-bridge sockets (BR.mgmt, BR.snoop) in OVS_RUNDIR; keep them in our directory.
    $saved = @{}
    foreach ($v in 'OVS_RUNDIR', 'OVS_LOGDIR', 'OVS_DBDIR', 'OVS_SYSCONFDIR') {
        $saved[$v] = [Environment]::GetEnvironmentVariable($v)
        [Environment]::SetEnvironmentVariable($v, $dir)
    }
    try {
        if ($ovs.Namespace) {
            & ip netns add $ovs.Namespace
            if ($LASTEXITCODE -ne 0) { throw "ip netns add $($ovs.Namespace) failed" }
            & ip -n $ovs.Namespace link set lo up
        }
        & ovsdb-tool create $ovs.Db /usr/share/openvswitch/vswitch.ovsschema
        if ($LASTEXITCODE -ne 0) { throw "ovsdb-tool create $($ovs.Db) failed" }
        & ovsdb-server $ovs.Db "--remote=punix:$($ovs.Socket)" "--pidfile=$($ovs.ServerPid)" "--unixctl=$($ovs.ServerCtl)" `
            "--log-file=$(Join-Path $dir 'ovsdb-server.log')" -vconsole:off --detach --no-chdir 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'ovsdb-server did not start' }
        & ovs-vsctl --timeout=5 "--db=$($ovs.Database)" --no-wait init
        if ($LASTEXITCODE -ne 0) { throw 'ovs-vsctl init failed' }
        $vswitchd = @('ovs-vswitchd', $ovs.Database, "--pidfile=$($ovs.SwitchPid)", "--unixctl=$($ovs.SwitchCtl)",
            "--log-file=$(Join-Path $dir 'ovs-vswitchd.log')", '-vconsole:off', '--detach', '--no-chdir')
        if ($ovs.Namespace) { & ip netns exec $ovs.Namespace @vswitchd 2>$null } else { & $vswitchd[0] $vswitchd[1..($vswitchd.Count - 1)] 2>$null }
        if ($LASTEXITCODE -ne 0) { throw 'ovs-vswitchd did not start' }
        & ovs-vsctl --timeout=10 "--db=$($ovs.Database)" show *> $null
        if ($LASTEXITCODE -ne 0) { throw 'the private OVS does not answer' }
    } catch {
        Stop-TestOvs $ovs
        throw
    } finally {
        foreach ($v in $saved.Keys) { [Environment]::SetEnvironmentVariable($v, $saved[$v]) }
    }
    if (-not $ovs.Namespace) {
        Set-OvsConnection -Database $ovs.Database -TimeoutSeconds $TimeoutSeconds
        $ovs.Connected = $true
    }
    $ovs
}

function Get-TestOvsPid([string] $PidFile) {
    if (Test-Path $PidFile) { $t = (Get-Content -Raw $PidFile).Trim(); if ($t -match '^\d+$') { return [int]$t } }
    $null
}

function Stop-TestOvs {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Ovs)
    if (-not $Ovs) { return }
    $pids = @((Get-TestOvsPid $Ovs.SwitchPid), (Get-TestOvsPid $Ovs.ServerPid)) | Where-Object { $_ }
    # Bridges first (their internal interfaces and the netdev datapath's tap go with them), then the daemons.
    if (Test-Path $Ovs.Socket) {
        foreach ($b in @(& ovs-vsctl --timeout=5 "--db=$($Ovs.Database)" list-br 2>$null)) {
            if ($b) { & ovs-vsctl --timeout=20 "--db=$($Ovs.Database)" --if-exists del-br $b 2>$null }
        }
    }
    if (Test-Path $Ovs.SwitchCtl) { & ovs-appctl -t $Ovs.SwitchCtl exit --cleanup 2>$null | Out-Null }
    if (Test-Path $Ovs.ServerCtl) { & ovs-appctl -t $Ovs.ServerCtl exit 2>$null | Out-Null }
    $deadline = [DateTime]::UtcNow.AddSeconds(5)
    foreach ($p in $pids) {
        while ((Test-Path "/proc/$p") -and [DateTime]::UtcNow -lt $deadline -and -not ((Get-Content "/proc/$p/stat" -ErrorAction SilentlyContinue) -match '\) Z ')) { Start-Sleep -Milliseconds 50 }
        if ((Test-Path "/proc/$p") -and -not ((Get-Content "/proc/$p/stat" -ErrorAction SilentlyContinue) -match '\) Z ')) { & kill -9 $p 2>$null }
    }
    if ($Ovs.Namespace -and (Test-Path "/run/netns/$($Ovs.Namespace)")) { & ip netns del $Ovs.Namespace }
    if ($Ovs.Dir -and (Test-Path $Ovs.Dir)) { Remove-Item -Recurse -Force $Ovs.Dir -ErrorAction SilentlyContinue }
    if ($Ovs.Connected) { Set-OvsConnection -Default }
}

# Runs a script in a fresh pwsh with the module imported and NetNs pointed at the private OVS; returns its output lines.
function Invoke-TestOvsPwsh {
    param([Parameter(Mandatory)] $Ovs, [Parameter(Mandatory)] [string] $Script)
    $exe = [Environment]::ProcessPath
    $pre = @()
    if ((Split-Path -Leaf $exe) -ne 'pwsh') { $pre = @(Join-Path $PSHOME 'pwsh.dll') }
    $full = "Import-Module '$script:NetNsModule'; Set-OvsConnection -Database '$($Ovs.Database)'; $Script"
    @(& $exe @pre -NoProfile -NonInteractive -Command $full 2>&1 | ForEach-Object { "$_" })
}
