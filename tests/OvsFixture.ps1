# A private Open vSwitch for the tests: its own database file, ovsdb-server, ovs-vswitchd, sockets, pid and log
# files in one temp run directory. The system OVS (/var/run/openvswitch) is never touched.
#   $ovs = Start-TestOvs        # also points NetNs at it (Set-OvsConnection -Database $ovs.Database)
#   Stop-TestOvs $ovs           # stops both daemons, removes the run directory, Set-OvsConnection -Default

function Start-TestOvs {
    [CmdletBinding()]
    param([int] $TimeoutSeconds = 10, [int] $WaitForNetdevSeconds = 120, [switch] $AllowNetdevConflict)
    # Only one userspace (netdev) datapath can exist per host: it owns the tap 'ovs-netdev'. When another OVS (the system
    # one, or another test run) has netdev bridges, wait for it to go, then fail with the reason.
    # -AllowNetdevConflict starts it anyway (for the test of what happens to a second instance).
    if (-not $AllowNetdevConflict) {
        $deadline = [DateTime]::UtcNow.AddSeconds($WaitForNetdevSeconds)
        while ((Test-Path /sys/class/net/ovs-netdev) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 500 }
        if (Test-Path /sys/class/net/ovs-netdev) {
            throw "Another Open vSwitch instance has a userspace (netdev) datapath (interface 'ovs-netdev' exists), and a host can only have one. Remove its netdev bridges (ovs-vsctl list-br; ovs-vsctl del-br NAME) or stop it, then rerun the tests."
        }
    }
    $dir = Join-Path ([IO.Path]::GetTempPath()) ('netns-testovs-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $dir | Out-Null
    & chmod 700 $dir
    $ovs = [pscustomobject]@{
        RunDir   = $dir
        Socket   = Join-Path $dir 'db.sock'
        Database = 'unix:' + (Join-Path $dir 'db.sock')
        DbFile   = Join-Path $dir 'conf.db'
        ServerPidFile  = Join-Path $dir 'ovsdb-server.pid'
        SwitchPidFile  = Join-Path $dir 'ovs-vswitchd.pid'
        ServerCtl = Join-Path $dir 'ovsdb-server.ctl'
        SwitchCtl = Join-Path $dir 'ovs-vswitchd.ctl'
    }
    # ovs-vswitchd puts its per-bridge sockets (BR.mgmt, BR.snoop) in OVS_RUNDIR; keep them in our directory.
    $saved = @{}
    foreach ($v in 'OVS_RUNDIR', 'OVS_LOGDIR', 'OVS_DBDIR', 'OVS_SYSCONFDIR') {
        $saved[$v] = [Environment]::GetEnvironmentVariable($v)
        [Environment]::SetEnvironmentVariable($v, $dir)
    }
    try {
        & ovsdb-tool create $ovs.DbFile /usr/share/openvswitch/vswitch.ovsschema
        if ($LASTEXITCODE -ne 0) { throw "ovsdb-tool create $($ovs.DbFile) failed" }
        & ovsdb-server $ovs.DbFile "--remote=punix:$($ovs.Socket)" "--pidfile=$($ovs.ServerPidFile)" "--unixctl=$($ovs.ServerCtl)" `
            "--log-file=$(Join-Path $dir 'ovsdb-server.log')" -vconsole:off --detach --no-chdir 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'ovsdb-server did not start' }
        & ovs-vsctl --timeout=5 "--db=$($ovs.Database)" --no-wait init
        if ($LASTEXITCODE -ne 0) { throw 'ovs-vsctl init failed' }
        & ovs-vswitchd $ovs.Database "--pidfile=$($ovs.SwitchPidFile)" "--unixctl=$($ovs.SwitchCtl)" `
            "--log-file=$(Join-Path $dir 'ovs-vswitchd.log')" -vconsole:off --detach --no-chdir 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'ovs-vswitchd did not start' }
    } catch {
        Stop-TestOvs $ovs
        throw
    } finally {
        foreach ($v in $saved.Keys) { [Environment]::SetEnvironmentVariable($v, $saved[$v]) }
    }
    Set-OvsConnection -Database $ovs.Database -TimeoutSeconds $TimeoutSeconds
    $ovs
}

function Get-TestOvsPid([string] $PidFile) {
    if (Test-Path $PidFile) { $t = (Get-Content -Raw $PidFile).Trim(); if ($t -match '^\d+$') { return [int]$t } }
    $null
}

function Stop-TestOvs {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Ovs)
    $pids = @((Get-TestOvsPid $Ovs.SwitchPidFile), (Get-TestOvsPid $Ovs.ServerPidFile)) | Where-Object { $_ }
    # Bridges first (their internal interfaces and the netdev datapath's tap go with them), then the daemons.
    if (Test-Path $Ovs.Socket) {
        $bridges = & ovs-vsctl --timeout=5 "--db=$($Ovs.Database)" list-br 2>$null
        foreach ($b in $bridges) { if ($b) { & ovs-vsctl --timeout=5 "--db=$($Ovs.Database)" --if-exists del-br $b 2>$null } }
    }
    if (Test-Path $Ovs.SwitchCtl) { & ovs-appctl -t $Ovs.SwitchCtl exit --cleanup 2>$null | Out-Null }
    if (Test-Path $Ovs.ServerCtl) { & ovs-appctl -t $Ovs.ServerCtl exit 2>$null | Out-Null }
    $deadline = [DateTime]::UtcNow.AddSeconds(5)
    foreach ($p in $pids) {
        while ((Test-Path "/proc/$p") -and [DateTime]::UtcNow -lt $deadline -and -not ((Get-Content "/proc/$p/stat" -ErrorAction SilentlyContinue) -match '\) Z ')) { Start-Sleep -Milliseconds 50 }
        if ((Test-Path "/proc/$p") -and -not ((Get-Content "/proc/$p/stat" -ErrorAction SilentlyContinue) -match '\) Z ')) { & kill -9 $p 2>$null }
    }
    if ($Ovs.RunDir -and (Test-Path $Ovs.RunDir)) { Remove-Item -Recurse -Force $Ovs.RunDir }
    Set-OvsConnection -Default
}
