# Soak: one pwsh builds and removes a 20-host lab many times (a private Open vSwitch, tests/OvsFixture.ps1 -InNamespace). Nothing may be
# left, and that pwsh's open file descriptors (/proc/PID/fd) and memory (working set) may not grow beyond stated bounds.
# NETNS_SOAK_ROUNDS changes the number of rounds (default 200).
BeforeDiscovery {
    $script:Rounds = if ($env:NETNS_SOAK_ROUNDS) { [int]$env:NETNS_SOAK_ROUNDS } else { 200 }
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/OvsFixture.ps1
    $script:ovs = Start-TestOvs -InNamespace -Prefix 'soakovs'
    $script:p = New-TestName 'sk'
    $script:tmp = Join-Path ([IO.Path]::GetTempPath()) "netns-soak-$p"
    New-Item -ItemType Directory -Path $tmp | Out-Null
    # Bounds, from round 10 (everything JIT-compiled and warmed up) to the last round.
    $script:MaxFdGrowth = 8
    $script:MaxWorkingSetGrowthMB = 64
}

AfterAll {
    foreach ($l in @(Get-NetLab -ErrorAction SilentlyContinue | Where-Object Name -like "$p*")) { Remove-NetLab -Name $l.Name -Confirm:$false -ErrorAction SilentlyContinue }
    Clear-NetLab -Name "$p*" -OvsSocket $ovs.Socket -SwitchNamespace $ovs.Namespace -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
    foreach ($n in & ip netns list) { $n = ($n -split ' ')[0]; if ($n -like "$p*") { & ip netns del $n 2>$null } }
    Stop-TestOvs $ovs
    Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
}

Describe 'Soak' {
    It '<Rounds> build-and-remove rounds of a 20-host lab in one pwsh: no leftovers; fds and working set bounded' -ForEach @(@{ Rounds = $Rounds }) {
        $file = Join-Path $tmp 'soak.json'
        $null = New-NetLabDefinition -Star -Name "${p}L" -HostCount 20 -Prefix "${p}h" -DatapathType Netdev -Path $file
        $script = Join-Path $tmp 'soak.ps1'
        Set-Content $script @"
`$ErrorActionPreference = 'Stop'
Import-Module '$script:NetNsModule'
`$d = Get-Content -Raw '$file' | ConvertFrom-Json -AsHashtable
`$me = [Diagnostics.Process]::GetCurrentProcess()
`$errors = 0
`$sw = [Diagnostics.Stopwatch]::StartNew()
for (`$r = 1; `$r -le $Rounds; `$r++) {
    try {
        `$null = New-NetLab -Definition `$d -OvsSocket '$($ovs.Socket)' -SwitchNamespace '$($ovs.Namespace)'
        Remove-NetLab -Name '${p}L' -Confirm:`$false
    } catch { `$errors++; [Console]::Error.WriteLine("round `${r}: `$_") }
    if (`$r -in 1, 10, 50, 100, 150, $Rounds) {
        `$me.Refresh()
        @{ Round = `$r; Fds = @([IO.Directory]::GetFileSystemEntries('/proc/self/fd')).Count; WorkingSetMB = [Math]::Round(`$me.WorkingSet64 / 1MB, 1)
           ManagedMB = [Math]::Round([GC]::GetTotalMemory(`$false) / 1MB, 1); Seconds = [Math]::Round(`$sw.Elapsed.TotalSeconds, 1); Errors = `$errors } | ConvertTo-Json -Compress
    }
}
"@
        $out = & ([Environment]::ProcessPath) @(if ((Split-Path -Leaf ([Environment]::ProcessPath)) -ne 'pwsh') { [Environment]::GetCommandLineArgs()[0] }) -NoProfile -NonInteractive -File $script 2>&1
        $points = @($out | Where-Object { "$_" -like '{*' } | ForEach-Object { "$_" | ConvertFrom-Json })
        $problems = @($out | Where-Object { "$_" -notlike '{*' })
        foreach ($pt in $points) { Write-Host "    round $($pt.Round): $($pt.Fds) fds, working set $($pt.WorkingSetMB) MB, managed heap $($pt.ManagedMB) MB, $($pt.Seconds) s" }
        $problems | Should -BeNullOrEmpty
        $points.Count | Should -Be 6
        $points[-1].Errors | Should -Be 0
        $warm = $points | Where-Object Round -eq 10
        $last = $points[-1]
        ($last.Fds - $warm.Fds) | Should -BeLessOrEqual $MaxFdGrowth
        ($last.WorkingSetMB - $warm.WorkingSetMB) | Should -BeLessOrEqual $MaxWorkingSetGrowthMB
        Write-Host "    $Rounds rounds in $($last.Seconds) s ($([Math]::Round($last.Seconds * 1000 / $Rounds)) ms per build+remove); fds $($warm.Fds) -> $($last.Fds) (bound +$MaxFdGrowth), working set $($warm.WorkingSetMB) -> $($last.WorkingSetMB) MB (bound +$MaxWorkingSetGrowthMB MB)"
        @(& ip netns list | Where-Object { $_ -like "$p*" }) | Should -BeNullOrEmpty
        @(& ip -n $ovs.Namespace -j link show | ConvertFrom-Json | Where-Object ifname -like "*$p*") | Should -BeNullOrEmpty
        @(& ovs-vsctl "--db=unix:$($ovs.Socket)" list-br) | Should -BeNullOrEmpty
        @(& ovs-vsctl "--db=unix:$($ovs.Socket)" --bare --columns=name list Interface | Where-Object { $_ -like "*$p*" }) | Should -BeNullOrEmpty
        Test-Path "/run/netns-ps/labs/${p}L.json" | Should -BeFalse
    }
}
