# Entries under /run/netns without a namespace behind them (a crash, a half-done 'ip netns add'): listed as stale,
# refused clearly by the other cmdlets, removed by Remove-NetNamespace. Real /run/netns, unique names.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:plain = New-TestName 'stl'
    $script:mounted = New-TestName 'stm'
    $script:real = New-TestName 'str'
    $script:source = Join-Path ([IO.Path]::GetTempPath()) "$mounted-src"
    New-NetNamespace $real | Out-Null
    # A plain file where a namespace mount should be, and one with another mount on it (a bind mount of a regular file).
    New-Item -ItemType File "/run/netns/$plain" | Out-Null
    New-Item -ItemType File $source | Out-Null
    New-Item -ItemType File "/run/netns/$mounted" | Out-Null
    & mount --bind $source "/run/netns/$mounted"
}

AfterAll {
    foreach ($n in $plain, $mounted) {
        if (Test-Path "/run/netns/$n") { & umount -l "/run/netns/$n" 2>$null; Remove-Item -Force "/run/netns/$n" -ErrorAction SilentlyContinue }
    }
    Remove-Item -Force $source -ErrorAction SilentlyContinue
    Remove-TestNamespace $real
}

Describe 'Stale entries under /run/netns' {
    It 'Get-NetNamespace lists them with State Stale, and real ones Active' {
        $all = @(Get-NetNamespace | Where-Object Name -in $plain, $mounted, $real)
        ($all | Where-Object Name -eq $plain).State | Should -Be 'Stale'
        ($all | Where-Object Name -eq $mounted).State | Should -Be 'Stale'
        ($all | Where-Object Name -eq $real).State | Should -Be 'Active'
        (Get-NetNamespace $plain | Out-String) | Should -Match "$plain \(stale\)"
    }

    It '<Cmd> refuses a stale entry with NamespaceStale (ObjectNotFound)' -ForEach @(
        @{ Cmd = 'Get-NetLink'; Run = { param($n) Get-NetLink -Namespace $n -ErrorVariable ev -ErrorAction SilentlyContinue; $ev } }
        @{ Cmd = 'Invoke-InNamespace'; Run = { param($n) Invoke-InNamespace $n -ErrorVariable ev -ErrorAction SilentlyContinue -- true; $ev } }
        @{ Cmd = 'Add-VethPair'; Run = { param($n) Add-VethPair -Namespace $n -Name eth0 -PeerName "v$n" -ErrorVariable ev -ErrorAction SilentlyContinue; $ev } }
        @{ Cmd = 'Get-NetAddress'; Run = { param($n) Get-NetAddress -Namespace $n -ErrorVariable ev -ErrorAction SilentlyContinue; $ev } }
    ) {
        $ev = & $Run $plain
        Assert-NetNsError $ev 'NamespaceStale' 'ObjectNotFound'
        $ev[0].Exception.Message | Should -BeLike "*holds no namespace*Remove-NetNamespace $plain*"
        Test-Path "/sys/class/net/v$plain" | Should -BeFalse
    }

    It 'Remove-NetNamespace removes a plain stale file, without -Force' {
        Remove-NetNamespace $plain -ErrorVariable ev
        @($ev).Count | Should -Be 0
        Test-Path "/run/netns/$plain" | Should -BeFalse
    }

    It 'Remove-NetNamespace unmounts (detached) and removes a stale entry with another mount on it' {
        Remove-NetNamespace $mounted -Verbose 4>&1 | Out-Null
        Test-Path "/run/netns/$mounted" | Should -BeFalse
        @(Get-Content /proc/self/mountinfo | Where-Object { $_ -like "* /run/netns/$mounted *" }).Count | Should -Be 0
        # The real namespace beside them is untouched.
        (Get-NetNamespace $real).State | Should -Be 'Active'
    }
}
