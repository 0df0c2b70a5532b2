# Runs every example of every cmdlet's help, as written, in the walk-through setting of about_NetNs, on the
# real kernel. Only the names are made unique to this run: ns1, ns2, ns9 and br0 (also inside eth1-ns1,
# veth-ns2, ...) get a per-run prefix, so the examples never touch objects of the machine or of other tests.
# An interactive shell (Enter-NetNamespace) is replaced by /bin/true, so the test never waits for a terminal.
# The Open vSwitch examples run against a PRIVATE Open vSwitch (tests/OvsFixture.ps1), started once for this file
# and stopped in AfterAll; after every example the OVS connection is pointed back at it (Set-OvsConnection examples
# change it). The system OVS is never used.
#
# The setting an example starts from is chosen per cmdlet in $ExampleSetting below (default: Addressed):
#   None         no namespaces
#   Namespaces   ns1 and ns2, empty
#   Linked       + pairs eth1-ns1/veth-ns1, eth1-ns2/veth-ns2 (inner ends in the namespaces), all up,
#                root ends joined by the switch br0 (a Linux bridge here)
#   Addressed    + 10.0.0.1/24 on eth1-ns1 and 10.0.0.2/24 on eth1-ns2: ns1 reaches ns2
#   OvsLinked    Linked, but br0 is an Open vSwitch bridge (netdev) of the private OVS with NO ports yet
#   OvsAddressed Addressed, with br0 the Open vSwitch bridge and veth-ns1, veth-ns2 its ports (the walk-through, step 9)
#   DhcpServer   + a DHCP server (dnsmasq) on eth1-ns1 in ns1 handing out 10.0.0.100-10.0.0.150 (step 10)
#   DhcpLease    + eth1-ns2 in ns2 holds a lease from it (Request-NetDhcpClientLease)
#   Dns          Addressed + ns1 has DNS server 10.0.0.1 and search domain lab.example (Set-NetNamespaceDns)
# With Each = $true the setting is rebuilt before every example; otherwise the examples of a cmdlet run one
# after the other, as a reader would type them.
BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/../docs/help.ps1
    $docs = (Resolve-Path "$PSScriptRoot/../docs/en-US").Path
    $script:Pages = @(Get-Command -Module NetNs -CommandType Cmdlet | Sort-Object Name | ForEach-Object {
            $path = Join-Path $docs "$($_.Name).md"
            $examples = if (Test-Path $path) { @((Read-HelpMarkdown $path).Examples | ForEach-Object { @{ Title = $_.Title; Code = $_.Code } }) } else { @() }
            @{ Name = $_.Name; Examples = $examples }
        })
    # The code blocks under '# EXAMPLES' of about_NetNs, each run from an empty setting.
    $aboutLines = (Get-Content (Join-Path $docs 'about_NetNs.md'))
    $start = [array]::IndexOf($aboutLines, '# EXAMPLES')
    $end = @(for ($i = $start + 1; $i -lt $aboutLines.Count; $i++) { if ($aboutLines[$i] -match '^# ') { $i; break } })[0]
    $n = 0
    $script:AboutExamples = @((Split-Fence $aboutLines[($start + 1)..($end - 1)]).Fences | ForEach-Object { $n++; @{ Title = "Example $n"; Code = $_.Lines -join "`n" } })
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/OvsFixture.ps1
    $script:ExampleSetting = @{
        'New-NetNamespace'           = @{ Setting = 'None'; Each = $true }
        'Add-VethPair'               = @{ Setting = 'Namespaces'; Each = $true }
        'Move-NetLink'               = @{ Setting = 'Namespaces'; Each = $false }
        'Add-NetAddress'             = @{ Setting = 'Linked'; Each = $false }
        'Remove-NetNamespace'        = @{ Setting = 'Addressed'; Each = $true }
        'New-OvsBridge'              = @{ Setting = 'Namespaces'; Each = $true }
        'Get-OvsBridge'              = @{ Setting = 'OvsAddressed'; Each = $false }
        'Remove-OvsBridge'           = @{ Setting = 'OvsAddressed'; Each = $true }
        'Connect-OvsPort'            = @{ Setting = 'OvsLinked'; Each = $true }
        'Disconnect-OvsPort'         = @{ Setting = 'OvsAddressed'; Each = $true }
        'Get-OvsPort'                = @{ Setting = 'OvsAddressed'; Each = $false }
        'Set-OvsVlan'                = @{ Setting = 'OvsAddressed'; Each = $true }
        'Set-OvsConnection'          = @{ Setting = 'OvsAddressed'; Each = $false }
        'Get-OvsConnection'          = @{ Setting = 'OvsAddressed'; Each = $false }
        'Start-NetDhcpServer'        = @{ Setting = 'OvsAddressed'; Each = $true }
        'Get-NetDhcpServer'          = @{ Setting = 'DhcpServer'; Each = $false }
        'Stop-NetDhcpServer'         = @{ Setting = 'DhcpServer'; Each = $true }
        'Request-NetDhcpClientLease' = @{ Setting = 'DhcpServer'; Each = $true }
        'Get-NetDhcpLease'           = @{ Setting = 'DhcpLease'; Each = $false }
        'Get-NetDhcpServerLog'       = @{ Setting = 'DhcpLease'; Each = $false }
        'Get-NetDhcpClientLease'     = @{ Setting = 'DhcpLease'; Each = $false }
        'Remove-NetDhcpClientLease'  = @{ Setting = 'DhcpLease'; Each = $true }
        'Set-NetNamespaceDns'        = @{ Setting = 'Addressed'; Each = $false }
        'Get-NetNamespaceDns'        = @{ Setting = 'Dns'; Each = $false }
    }
    # The private Open vSwitch every OVS example talks to (Start-TestOvs also points NetNs at it).
    $script:Ovs = Start-TestOvs
    # Short enough that the longest name of an example (uplink-ns2) stays within 15 bytes: ns1 -> x1a2b31.
    $script:Prefix = 'x' + [guid]::NewGuid().ToString('N').Substring(0, 5)
    $script:Bridge = "$($Prefix)b"
    $script:Namespaces = @("$($Prefix)1", "$($Prefix)2", "$($Prefix)9")

    function ConvertTo-RunnableExample([string] $Code) {
        $c = [regex]::Replace($Code, '(?<![A-Za-z0-9])ns(?=[129*])', $Prefix)
        $c = [regex]::Replace($c, '(?<![A-Za-z0-9])br0(?![A-Za-z0-9])', $Bridge)
        $c = ConvertTo-RunnableLabExample $c
        $c -replace '/bin/(ba)?sh\b', '/bin/true'
    }

    function Clear-ExampleSetting {
        Clear-LabExampleSetting
        # Namespaces first: removing one also stops the DHCP servers and clients NetNs started in it.
        Remove-TestNamespace $Namespaces
        if ($Ovs -and (Test-Path $Ovs.Socket)) { & ovs-vsctl --timeout=5 "--db=$($Ovs.Database)" --if-exists del-br $Bridge 2>$null }
        Remove-TestLink $Bridge
        foreach ($l in @(Get-NetLink -ErrorAction SilentlyContinue | Where-Object { $_.Name -like "*$Prefix*" })) { Remove-TestLink $l.Name }
    }

    function Set-ExampleSetting([string] $Setting) {
        Clear-ExampleSetting
        if ($Setting -eq 'None') { return }
        if ($Setting -eq 'Lab') { $null = New-NetLab (Join-Path $LabDir 'examples/walkthrough.lab.psd1') -OvsSocket $LabOvs.Socket -SwitchNamespace $LabOvs.Namespace -ErrorAction Stop; return }
        New-NetNamespace $Namespaces[0], $Namespaces[1] -ErrorAction Stop | Out-Null
        if ($Setting -eq 'Namespaces') { return }
        $useOvs = $Setting -in 'OvsLinked', 'OvsAddressed', 'DhcpServer', 'DhcpLease'
        $addressed = $Setting -notin 'Linked', 'OvsLinked'
        if ($useOvs) {
            New-OvsBridge $Bridge -DatapathType Netdev -ErrorAction Stop | Out-Null
        } else {
            & ip link add $Bridge type bridge
            & ip link set $Bridge up
        }
        foreach ($i in 1, 2) {
            $ns = "$Prefix$i"
            Add-VethPair -Name "eth1-$ns" -PeerName "veth-$ns" -Namespace $ns -ErrorAction Stop | Out-Null
            if (-not $useOvs) { & ip link set "veth-$ns" master $Bridge }
            Set-NetLink "veth-$ns" -Up -ErrorAction Stop
            Get-NetLink -Namespace $ns | Set-NetLink -Up -ErrorAction Stop
            if ($addressed) { Add-NetAddress -Name "eth1-$ns" -Namespace $ns -Address "10.0.0.$i/24" -ErrorAction Stop | Out-Null }
        }
        if ($useOvs -and $Setting -ne 'OvsLinked') { Connect-OvsPort $Bridge "veth-$($Prefix)1", "veth-$($Prefix)2" -ErrorAction Stop | Out-Null }
        if ($addressed) {
            # Wait until the switch forwards (Linux bridge ports leave the listening state), at most 5 seconds.
            $deadline = [DateTime]::UtcNow.AddSeconds(5)
            while (-not (Test-NetNamespaceConnection "$($Prefix)1" 10.0.0.2 -Count 1 -TimeoutSeconds 0.5 -Quiet) -and [DateTime]::UtcNow -lt $deadline) { }
        }
        if ($Setting -in 'DhcpServer', 'DhcpLease') {
            Start-NetDhcpServer "eth1-$($Prefix)1" -Namespace "$($Prefix)1" -Range 10.0.0.100, 10.0.0.150 -ErrorAction Stop | Out-Null
        }
        if ($Setting -eq 'DhcpLease') {
            # dnsmasq pings an address before it offers it (about 3 seconds); allow for a loaded machine.
            Request-NetDhcpClientLease "eth1-$($Prefix)2" -Namespace "$($Prefix)2" -TimeoutSeconds 30 -ErrorAction Stop | Out-Null
        }
        if ($Setting -eq 'Dns') {
            Set-NetNamespaceDns "$($Prefix)1" -ServerAddress 10.0.0.1 -Search lab.example -ErrorAction Stop
        }
    }

    # Runs one example and returns the errors it wrote; the OVS connection is the private one again afterwards.
    function Invoke-Example([string] $Code) {
        try {
            $output = @(& ([scriptblock]::Create($Code)) 2>&1 6>$null)
            @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        } finally {
            Set-OvsConnection -Database $Ovs.Database -TimeoutSeconds 10
        }
    }

    # --- Labs. The lab cmdlets' examples run for real against a PRIVATE Open vSwitch (tests/OvsFixture.ps1 -InNamespace:
    # its own ovsdb-server, and ovs-vswitchd in its own namespace), never the system one. Setting 'Lab' is the
    # walk-through lab (examples/walkthrough.lab.psd1) built and running. To keep the examples as written:
    #  - they run from $LabDir, which holds examples/walkthrough.lab.psd1 with the per-run names (ns1 -> x1a2b31, ...);
    #  - the lab names walkthrough, star and pair become "$Prefix-walkthrough", ...;
    #  - $PSDefaultParameterValues (local to this file) adds -OvsSocket/-SwitchNamespace of the private switch to
    #    New-NetLab and Clear-NetLab, limits Clear-NetLab without -Name to this run's labs, and gives
    #    New-NetLabDefinition the name prefix "${Prefix}h" (h1, hbr, vh1 in the examples get the same).
    $script:LabOvs = Start-TestOvs -InNamespace -Prefix 'hexovs'
    $script:LabDir = Join-Path ([IO.Path]::GetTempPath()) "netns-helpex-$Prefix"
    $script:ExampleSetting += @{
        'New-NetLab'              = @{ Setting = 'None'; Each = $true }
        'New-NetLabDefinition'    = @{ Setting = 'None'; Each = $false }
        'Get-NetLab'              = @{ Setting = 'Lab'; Each = $false }
        'Get-NetLabState'         = @{ Setting = 'Lab'; Each = $true }
        'Export-NetLab'           = @{ Setting = 'Lab'; Each = $false }
        'Compare-NetLab'          = @{ Setting = 'Lab'; Each = $false }
        'Test-NetLabConnectivity' = @{ Setting = 'Lab'; Each = $false }
        'Export-NetLabDiagram'    = @{ Setting = 'Lab'; Each = $false }
        'Remove-NetLab'           = @{ Setting = 'Lab'; Each = $true }
        'Clear-NetLab'            = @{ Setting = 'Lab'; Each = $true }
    }
    $script:PSDefaultParameterValues = @{
        'New-NetLab:OvsSocket'           = $LabOvs.Socket
        'New-NetLab:SwitchNamespace'     = $LabOvs.Namespace
        'Clear-NetLab:OvsSocket'         = $LabOvs.Socket
        'Clear-NetLab:SwitchNamespace'   = $LabOvs.Namespace
        'Clear-NetLab:Name'              = "$Prefix*"
        'New-NetLabDefinition:Prefix'    = "$($Prefix)h"
    }

    function ConvertTo-RunnableLabExample([string] $Code) {
        $c = [regex]::Replace($Code, '(?<![\w./\\-])(walkthrough|star|pair)(?![\w.-])', "$Prefix-`$1")
        [regex]::Replace($c, '(?<![A-Za-z0-9-])(v?)h(?=\d|br\b)', "`${1}$($Prefix)h")
    }

    function Clear-LabExampleSetting {
        foreach ($l in @(Get-NetLab "$Prefix*" -ErrorAction SilentlyContinue)) { Remove-NetLab -Name $l.Name -Confirm:$false -ErrorAction SilentlyContinue }
        $null = Clear-NetLab -Name "$Prefix*" -OvsSocket $LabOvs.Socket -SwitchNamespace $LabOvs.Namespace -Confirm:$false -ErrorAction SilentlyContinue
    }

    New-Item -ItemType Directory -Force (Join-Path $LabDir 'examples') | Out-Null
    ConvertTo-RunnableExample (Get-Content -Raw "$PSScriptRoot/../examples/walkthrough.lab.psd1") | Set-Content (Join-Path $LabDir 'examples/walkthrough.lab.psd1')
    Push-Location $LabDir
    # --- end of labs

    $script:OldShell = $env:SHELL
    $env:SHELL = '/bin/true'
}

AfterAll {
    $env:SHELL = $OldShell
    try {
        Clear-ExampleSetting
    } finally {
        Pop-Location
        # Only one netdev datapath can exist per host (per network namespace): always stop the private switches.
        if ($Ovs) { Stop-TestOvs $Ovs }
        if ($LabOvs) { Stop-TestOvs $LabOvs }
        Remove-Item -Recurse -Force $LabDir -ErrorAction SilentlyContinue
    }
}

Describe 'Examples of <Name> run as written' -ForEach $Pages {
    BeforeAll {
        $script:Plan = if ($ExampleSetting.ContainsKey($Name)) { $ExampleSetting[$Name] } else { @{ Setting = 'Addressed'; Each = $false } }
        Set-ExampleSetting $Plan.Setting
        $script:Index = 0
    }

    It 'has examples' {
        $Examples.Count | Should -BeGreaterOrEqual 2
    }

    It '<Title>' -ForEach $Examples {
        $script:Index++
        if ($Plan.Each -and $Index -gt 1) { Set-ExampleSetting $Plan.Setting }
        $code = ConvertTo-RunnableExample $Code
        $errors = @(Invoke-Example $code)
        $errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" } | Should -BeNullOrEmpty -Because "the example must run without errors:`n$code"
    }
}

Describe 'Examples of about_NetNs run as written' {
    It 'has examples' {
        $AboutExamples.Count | Should -BeGreaterOrEqual 2
    }

    It '<Title>' -ForEach $AboutExamples {
        Set-ExampleSetting 'None'
        $code = ConvertTo-RunnableExample $Code
        $errors = @(Invoke-Example $code)
        $errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" } | Should -BeNullOrEmpty -Because "the example must run without errors:`n$code"
    }
}
