#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The NetNs walk-through (README and about_NetNs): two namespaces on an Open vSwitch bridge, ping, DHCP,
    VLAN isolation, tear-down — every step with NetNs cmdlets, each printing its objects and checking its result.
.DESCRIPTION
    Uses the names of the walk-through: ns1, ns2, br0, eth1-ns1/veth-ns1, eth1-ns2/veth-ns2, 10.0.0.1/24,
    10.0.0.2/24, a dnsmasq range in 10.0.0.0/24, VLAN tags 100 and 200. Refuses to start when ns1, ns2, br0 or
    the veth names exist and were not made by an earlier run of this script. Removes everything at the end, also
    when a step fails or Ctrl+C is pressed. Exits non-zero when a step's expectation fails.
.PARAMETER ModulePath
    The NetNs module manifest to import (default: out/NetNs/NetNs.psd1 of this repository).
.PARAMETER Prefix
    A prefix for every object name (the tests use a unique one); default: none, i.e. the walk-through's names.
.PARAMETER OvsDatabase
    The ovsdb socket to use, e.g. unix:/tmp/x/db.sock (the tests use a private Open vSwitch); default: the system one.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/NetNs/NetNs.psd1'),
    [string] $Prefix = '',
    [string] $OvsDatabase = ''
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
if ($OvsDatabase) { Set-OvsConnection -Database $OvsDatabase }

$ns1 = "${Prefix}ns1"; $ns2 = "${Prefix}ns2"; $br = "${Prefix}br0"
$in1 = "eth1-${Prefix}ns1"; $out1 = "veth-${Prefix}ns1"
$in2 = "eth1-${Prefix}ns2"; $out2 = "veth-${Prefix}ns2"
$marker = "/run/netns-ps/walkthrough-$($Prefix)demo.json"

function Step([string] $n, [string] $title) { Write-Host ''; Write-Host "--- Step ${n}: $title" -ForegroundColor Cyan }
function Show { param([Parameter(ValueFromPipeline)] $InputObject) begin { $all = @() } process { $all += $InputObject } end { $all | Out-Host } }
function Expect([bool] $ok, [string] $what) {
    if (-not $ok) { throw "Expectation failed: $what" }
    Write-Host "  ok: $what" -ForegroundColor Green
}

# Refuse to touch objects that this script did not make.
$taken = @()
if (Test-Path "/run/netns/$ns1") { $taken += "namespace $ns1" }
if (Test-Path "/run/netns/$ns2") { $taken += "namespace $ns2" }
if (Test-Path "/sys/class/net/$out1") { $taken += "link $out1" }
if (Test-Path "/sys/class/net/$out2") { $taken += "link $out2" }
if (Get-OvsBridge -Name $br -ErrorAction SilentlyContinue) { $taken += "OVS bridge $br" }
if ($taken.Count -gt 0) {
    if (Test-Path $marker) {
        Write-Host "Removing what an interrupted earlier run left: $($taken -join ', ')" -ForegroundColor Yellow
    } else {
        Write-Host "Refusing to start: $($taken -join ', ') already exist and were not made by this walk-through. Remove them first." -ForegroundColor Red
        exit 2
    }
}

function Remove-Walkthrough {
    Get-NetDhcpServer -Namespace $ns1 -ErrorAction SilentlyContinue | Stop-NetDhcpServer -ErrorAction SilentlyContinue
    foreach ($n in $ns1, $ns2) { if (Test-Path "/run/netns/$n") { Remove-NetNamespace -Name $n -Force -Confirm:$false -ErrorAction Continue } }
    foreach ($l in $out1, $out2) { if (Test-Path "/sys/class/net/$l") { Remove-NetLink -Name $l -Confirm:$false -ErrorAction Continue } }
    if (Get-OvsBridge -Name $br -ErrorAction SilentlyContinue) { Remove-OvsBridge -Name $br -Confirm:$false -ErrorAction Continue }
    Remove-Item $marker -ErrorAction SilentlyContinue
}

$exit = 0
try {
    if ($taken.Count -gt 0) { Remove-Walkthrough }
    $null = New-Item -ItemType Directory -Force /run/netns-ps
    Set-Content -Path $marker -Value (@{ pid = $PID; objects = @($ns1, $ns2, $br, $out1, $out2) } | ConvertTo-Json -Compress)

    Step 1 'Interfaces of the root namespace (ip link)'
    Get-NetLink | Show

    Step 2 "Create namespaces $ns1 and $ns2 (ip netns add / list)"
    New-NetNamespace -Name $ns1, $ns2 | Show
    Get-NetNamespace -Name $ns1, $ns2 | Show
    Expect ((Get-NetNamespace -Name $ns1, $ns2).Count -eq 2) 'both namespaces are listed'

    Step 3 "Inside $ns1 there is only lo, and it is DOWN (ip netns exec $ns1 ip link)"
    Invoke-InNamespace $ns1 -- ip -br link | Out-Host
    $inside = Get-NetLink -Namespace $ns1
    $inside | Show
    Expect ($inside.Count -eq 1 -and $inside[0].Name -eq 'lo' -and $inside[0].AdminState -eq 'DOWN') "$ns1 holds only lo, DOWN"

    Step 4 "Create the software switch $br (ovs-vsctl add-br)"
    New-OvsBridge -Name $br | Show

    Step '5-6' "Veth pairs $in1/$out1 and $in2/$out2, inner ends created directly in $ns1 and $ns2"
    $pairs = @(
        Add-VethPair -Name $in1 -PeerName $out1 -Namespace $ns1
        Add-VethPair -Name $in2 -PeerName $out2 -Namespace $ns2
    )
    $pairs | Show
    $root = Get-NetLink -Name $in1, $in2, $out1, $out2 -ErrorAction SilentlyContinue
    $root | Show
    Expect (($root.Name -contains $out1) -and ($root.Name -notcontains $in1)) "$in1 is not in the root namespace, $out1 is"

    Step 7 "Add $out1 and $out2 as ports of $br"
    $pairs | Connect-OvsPort -Bridge $br | Show

    Step 8 'Bring the links up and assign 10.0.0.1/24 and 10.0.0.2/24'
    Set-NetLink -Name $out1 -Up; Set-NetLink -Name $out2 -Up
    Get-NetLink -Namespace $ns1 | Set-NetLink -Up
    Get-NetLink -Namespace $ns2 | Set-NetLink -Up
    @(
        Add-NetAddress -Namespace $ns1 -Name $in1 -Address 10.0.0.1/24
        Add-NetAddress -Namespace $ns2 -Name $in2 -Address 10.0.0.2/24
    ) | Show
    Get-NetLink -Namespace $ns1 | Show

    Step 9 "$ns1 reaches $ns2 (ping)"
    $ping = Test-NetNamespaceConnection -Namespace $ns1 -Target 10.0.0.2
    $ping | Show
    Expect $ping.Success "$ns1 pings 10.0.0.2"

    Step 10 "DHCP: dnsmasq in $ns1 serves 10.0.0.100-10.0.0.150; $ns2 gets a lease"
    Remove-NetAddress -Namespace $ns2 -Name $in2 -Address 10.0.0.2/24
    $server = Start-NetDhcpServer -Namespace $ns1 -Interface $in1 -RangeStart 10.0.0.100 -RangeEnd 10.0.0.150 -LeaseTime ([TimeSpan]::FromHours(1))
    $server | Show
    $lease = Request-NetDhcpClientLease -Namespace $ns2 -Interface $in2 -TimeoutSeconds 15
    $lease | Show
    $inRange = [version]$lease.Address -ge [version]'10.0.0.100' -and [version]$lease.Address -le [version]'10.0.0.150'
    Expect $inRange "$ns2 got $($lease.Address) from the range"
    $leases = Get-NetDhcpLease -Namespace $ns1 -Interface $in1
    $leases | Show
    Expect ($leases.IPAddress -contains $lease.Address) 'the server lists the lease'
    Get-NetDhcpServerLog -Namespace $ns1 -Interface $in1 | Where-Object { $_ -match 'DHCP(DISCOVER|OFFER|REQUEST|ACK)\(' } | Out-Host
    $ping = Test-NetNamespaceConnection -Namespace $ns1 -Target $lease.Address
    $ping | Show
    Expect $ping.Success "$ns1 pings the leased address $($lease.Address)"

    Step 11 "VLANs: $out1 on tag 100, $out2 on tag 200 — $ns1 can no longer reach $ns2"
    @(
        Set-OvsVlan -Name $out1 -Tag 100
        Set-OvsVlan -Name $out2 -Tag 200
    ) | Show
    $ping = Test-NetNamespaceConnection -Namespace $ns1 -Target $lease.Address -Count 2
    $ping | Show
    Expect (-not $ping.Success) "$ns1 cannot reach $ns2 across VLANs 100 and 200"
    Set-OvsVlan -Name $out2 -Tag 100 | Show
    $ping = Test-NetNamespaceConnection -Namespace $ns1 -Target $lease.Address
    Expect $ping.Success 'with both ports on VLAN 100 the ping works again'
} catch {
    Write-Host "Walk-through failed: $($_.Exception.Message)" -ForegroundColor Red
    $exit = 1
} finally {
    Step 12 'Tear everything down'
    Remove-Walkthrough
    $left = @()
    foreach ($n in $ns1, $ns2) { if (Test-Path "/run/netns/$n") { $left += "namespace $n" } }
    foreach ($l in $out1, $out2) { if (Test-Path "/sys/class/net/$l") { $left += "link $l" } }
    if (Get-OvsBridge -Name $br -ErrorAction SilentlyContinue) { $left += "bridge $br" }
    if ($left.Count -gt 0) { Write-Host "Left behind: $($left -join ', ')" -ForegroundColor Red; $exit = 1 }
    else { Write-Host '  ok: nothing left behind' -ForegroundColor Green }
}
exit $exit
