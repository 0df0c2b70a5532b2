# One NetNs bench run in a fresh pwsh: builds a star of N hosts (incl. one ping host 1 -> host N), tears it down, and
# prints one JSON line {BuildMs, TeardownMs, PeakKb}. Method Lab = New-NetLab/Remove-NetLab; Pipeline = single cmdlets,
# one host per iteration.
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
$bridge = "${Prefix}br"
$last = Addr $N
$sw = [Diagnostics.Stopwatch]::StartNew()
if ($Method -eq 'Lab') {
    $links = foreach ($i in 1..$N) { @{ Namespace = "$Prefix$i"; Name = 'eth0'; Bridge = $bridge; PeerName = "v$Prefix$i"; Address = "$(Addr $i)/16" } }
    $def = @{ Name = "bench-$Prefix"; Bridges = @(@{ Name = $bridge; DatapathType = 'Netdev' }); Namespaces = @(1..$N | ForEach-Object { "$Prefix$_" }); Links = @($links) }
    $null = New-NetLab -Definition $def -OvsSocket $OvsSocket -SwitchNamespace $SwitchNamespace
} else {
    & ovs-vsctl --timeout=30 "--db=unix:$OvsSocket" -- add-br $bridge -- set bridge $bridge datapath_type=netdev
    # The private OVS: its database socket, and ovs-vswitchd's own namespace, where the switch-side ends live.
    Set-OvsConnection -Database "unix:$OvsSocket" -TimeoutSeconds 30 -SwitchNamespace $SwitchNamespace
    foreach ($i in 1..$N) {
        $ns = "$Prefix$i"
        New-NetNamespace -Name $ns | Add-VethPair -Name eth0 -PeerName "v$ns" -PeerNamespace $SwitchNamespace | Connect-OvsPort -Bridge $bridge | Out-Null
        Set-NetLink -Namespace $SwitchNamespace -Name "v$ns" -Up
        Set-NetLink -Namespace $ns -Name lo -Up
        Set-NetLink -Namespace $ns -Name eth0 -Up
        $null = Add-NetAddress -Namespace $ns -Name eth0 -Address "$(Addr $i)/16"
    }
}
$ping = Test-NetNamespaceConnection -Namespace "${Prefix}1" -Target $last -Count 1 -TimeoutSeconds 2
$buildMs = $sw.Elapsed.TotalMilliseconds
if (-not $ping.Success) { throw "ping ${Prefix}1 -> $last failed" }
$sw.Restart()
if ($Method -eq 'Lab') {
    Remove-NetLab -Name "bench-$Prefix" -Confirm:$false
} else {
    foreach ($i in 1..$N) { Remove-NetNamespace -Name "$Prefix$i" -Confirm:$false }
    & ovs-vsctl --timeout=30 "--db=unix:$OvsSocket" del-br $bridge
}
$teardownMs = $sw.Elapsed.TotalMilliseconds
$peak = [int](((Get-Content /proc/self/status) -match '^VmHWM:' -split '\s+')[1])
[pscustomobject]@{ BuildMs = $buildMs; TeardownMs = $teardownMs; PeakKb = $peak } | ConvertTo-Json -Compress
