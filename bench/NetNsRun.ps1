# One NetNs bench run in a fresh pwsh: builds a star of N hosts, times it until host 1 reaches host N (one ping a second,
# as the scripts do; the failed pings are counted), tears it down (timed until the veth pairs are gone), and prints one
# JSON line per build: {Phase, BuildMs, TeardownMs, Retries, PeakKb}. Method Lab = New-NetLab/Remove-NetLab, built twice:
# Phase Cold (the first call in this fresh pwsh, module just imported) and Warm (the second build in the same process);
# Method Pipeline = single cmdlets, one host per iteration (Cold only).
param(
    [Parameter(Mandatory)] [ValidateSet('Lab', 'Pipeline')] [string] $Method,
    [Parameter(Mandatory)] [int] $N,
    [Parameter(Mandatory)] [string] $Prefix,
    [Parameter(Mandatory)] [string] $SwitchNamespace,
    [Parameter(Mandatory)] [string] $OvsSocket,
    [Parameter(Mandatory)] [string] $ModulePath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
function Addr([int] $i) { "10.0.$([math]::Floor($i / 250)).$($i % 250 + 1)" }
$last = Addr $N

function Wait-Ping([string] $Prefix) {
    $retries = 0
    while (-not (Test-NetNamespaceConnection -Namespace "${Prefix}1" -Target $last -Count 1 -TimeoutSeconds 1).Success) {
        $retries++
        if ($retries -ge 120) { throw "ping ${Prefix}1 -> $last failed for 120 s" }
    }
    $retries
}

function Invoke-Once([string] $Phase, [string] $P) {
    $bridge = "${P}br"
    $sw = [Diagnostics.Stopwatch]::StartNew()
    if ($Method -eq 'Lab') {
        $links = foreach ($i in 1..$N) { @{ Namespace = "$P$i"; Name = 'eth0'; Bridge = $bridge; PeerName = "v$P$i"; Address = "$(Addr $i)/16" } }
        $def = @{ Name = "bench-$P"; Bridges = @(@{ Name = $bridge; DatapathType = 'Netdev' }); Namespaces = @(1..$N | ForEach-Object { "$P$_" }); Links = @($links) }
        $null = New-NetLab -Definition $def -OvsSocket $OvsSocket -SwitchNamespace $SwitchNamespace
    } else {
        & ovs-vsctl --timeout=30 "--db=unix:$OvsSocket" -- add-br $bridge -- set bridge $bridge datapath_type=netdev
        # The private OVS: its database socket, and ovs-vswitchd's own namespace, where the switch-side ends live.
        Set-OvsConnection -Database "unix:$OvsSocket" -TimeoutSeconds 30 -SwitchNamespace $SwitchNamespace
        foreach ($i in 1..$N) {
            $ns = "$P$i"
            New-NetNamespace -Name $ns | Add-VethPair -Name eth0 -PeerName "v$ns" -PeerNamespace $SwitchNamespace | Connect-OvsPort -Bridge $bridge | Out-Null
            Set-NetLink -Namespace $SwitchNamespace -Name "v$ns" -Up
            Set-NetLink -Namespace $ns -Name lo -Up
            Set-NetLink -Namespace $ns -Name eth0 -Up
            $null = Add-NetAddress -Namespace $ns -Name eth0 -Address "$(Addr $i)/16"
        }
    }
    $retries = Wait-Ping $P
    $buildMs = $sw.Elapsed.TotalMilliseconds
    $sw.Restart()
    if ($Method -eq 'Lab') {
        Remove-NetLab -Name "bench-$P" -Confirm:$false
    } else {
        foreach ($i in 1..$N) { Remove-NetNamespace -Name "$P$i" -Confirm:$false }
        & ovs-vsctl --timeout=30 "--db=unix:$OvsSocket" del-br $bridge
    }
    $teardownMs = $sw.Elapsed.TotalMilliseconds
    $peak = [int](((Get-Content /proc/self/status) -match '^VmHWM:' -split '\s+')[1])
    [pscustomobject]@{ Phase = $Phase; BuildMs = $buildMs; TeardownMs = $teardownMs; Retries = $retries; PeakKb = $peak } | ConvertTo-Json -Compress
}

Invoke-Once 'Cold' $Prefix
# The warm build uses other names (w), so it never waits on the cold build's clean-up.
if ($Method -eq 'Lab') { Invoke-Once 'Warm' ($Prefix -replace 'h$', 'w') }
